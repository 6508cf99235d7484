using Simulator.Core.Funds;
using Simulator.Core.Guarantees;

namespace Simulator.Core.Scenarios;

/// <summary>Shorthands for the items of the first two kinds; other kinds are reached with <see cref="Scenario.Get{T}"/>.</summary>
public static class InstrumentAccess
{
    extension(Scenario scenario)
    {
        /// <summary>The funds, in file order.</summary>
        public IReadOnlyList<Fund> Funds => scenario.Get<FundsInstrument>()?.Funds ?? [];

        /// <summary>The guarantee schemes, in file order.</summary>
        public IReadOnlyList<Guarantee> Guarantees => scenario.Get<GuaranteesInstrument>()?.Guarantees ?? [];
    }
}
