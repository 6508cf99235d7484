namespace Simulator.Core.Instruments;

/// <summary>The order in which a trial evaluates its instruments: every output before the instruments that read it.</summary>
public static class InstrumentGraph
{
    /// <summary>
    /// A topological order of <paramref name="instruments"/> by the outputs they read (<paramref name="owner"/>: output
    /// name → index of the instrument that writes it), keeping scenario order wherever the reads allow.
    /// </summary>
    /// <exception cref="InvalidOperationException">An output is read but nobody writes it, or the reads form a cycle.</exception>
    public static IReadOnlyList<int> Order(IReadOnlyList<IInstrument> instruments, IReadOnlyDictionary<string, int> owner)
    {
        var problems = Problems(instruments, owner);
        if (problems.Count > 0) throw new InvalidOperationException(string.Join("; ", problems));
        var order = new List<int>();
        var done = new bool[instruments.Count];
        while (order.Count < instruments.Count)
        {
            for (int i = 0; i < instruments.Count; i++)
            {
                if (done[i] || !instruments[i].Reads.All(r => done[owner[r]])) continue;
                done[i] = true;
                order.Add(i);
                break;
            }
        }
        return order;
    }

    /// <summary>
    /// What keeps <paramref name="instruments"/> from being evaluated: outputs read that no instrument writes, and each
    /// cycle of reads, naming the instruments in it. Empty when they can run. Validation reports these with the
    /// scenario's paths; the engine refuses to run with any.
    /// </summary>
    public static IReadOnlyList<string> Problems(IReadOnlyList<IInstrument> instruments, IReadOnlyDictionary<string, int> owner)
    {
        var problems = new List<string>();
        for (int i = 0; i < instruments.Count; i++)
            foreach (var r in instruments[i].Reads.Where(r => !owner.ContainsKey(r)))
                problems.Add($"{instruments[i].Kind} reads '{r}', which no instrument of the scenario writes");
        if (problems.Count > 0) return problems;
        // Depth-first search; a back edge closes a cycle, reported once with the instruments along it.
        var state = new int[instruments.Count]; // 0 new, 1 on the stack, 2 done
        var stack = new List<int>();
        var reported = new HashSet<string>(StringComparer.Ordinal);
        void Visit(int i)
        {
            state[i] = 1;
            stack.Add(i);
            foreach (int j in instruments[i].Reads.Select(r => owner[r]).Distinct())
            {
                if (state[j] == 1)
                {
                    var cycle = stack.Skip(stack.IndexOf(j)).Select(k => instruments[k].Kind).ToList();
                    string text = string.Join(" → ", cycle.Append(instruments[j].Kind));
                    if (reported.Add(text)) problems.Add($"instruments read each other's outputs in a cycle: {text}; an instrument can only read outputs of instruments that do not read its own");
                }
                else if (state[j] == 0) Visit(j);
            }
            stack.RemoveAt(stack.Count - 1);
            state[i] = 2;
        }
        for (int i = 0; i < instruments.Count; i++)
            if (state[i] == 0) Visit(i);
        return problems;
    }
}
