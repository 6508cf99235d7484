using System.Globalization;
using Simulator.Core.Engine;
using Simulator.Core.Guarantees;
using Simulator.Core.Scenarios;
using Simulator.Core.Studies;
using Simulator.Reporting.Csv;
using Simulator.Tests.Support;

namespace Simulator.Tests.Studies;

/// <summary>
/// A variant that moves only how a scheme settles its defaults (shares, the pool's cap, budget and shortfall rule, the
/// guarantor's terms) replays the defaults the base recorded instead of drawing them; from the first year whose offer the
/// base's or the variant's leverage cap, insolvency or suspension cut, a trial is evaluated from its own draws, starting
/// from the state the replay reached. Every result file, and every value's bits, is what new trials of the variant give.
/// </summary>
public class ReplayTests
{
    // "capped": a guarantor whose leverage cap binds in some trials (its capital shrinks with its share of the losses), a
    // generated book with drawn amounts and LGDs (settled loan by loan or as one sum). "free": no guarantor, equal loans
    // (settled by counting). "loose": drawn amounts, a pool far from its budget in early years and near it later (settled
    // as one sum, then loan by loan). "tape": a loan tape of two risk classes (settled from the tape's losses);
    // "tape-capped": the same tape under a guarantor whose leverage cap binds in some trials.
    private const string Json = """
        { "name": "replay", "simulation": { "trials": 3000, "seed": 11 }, "factors": [ { "name": "macro", "persistence": 0.5 } ],
          "guarantees": [
            { "name": "capped",
              "loans": { "perYear": 100, "years": 4, "amount": { "lognormal": { "median": 1.0e6, "sigma": 0.6 } }, "termYears": 2,
                         "pd": 0.05, "lgd": { "beta": { "mean": 0.5, "sd": 0.2 } }, "exposure": { "macro": 0.4 } },
              "shares": { "guarantor": 0.5, "bank": 0.2, "government": 0.3 },
              "guarantor": { "capital": 2.5e7, "leverageCap": 10, "feeRate": 0.01, "costRate": 0.003 },
              "government": { "budget": 6.0e6, "capRate": 0.05, "shortfallTo": "guarantor" } },
            { "name": "free",
              "loans": { "perYear": 150, "years": 3, "amount": 2.0e5, "termYears": 3, "pd": 0.04, "lgd": 0.6, "exposure": { "macro": 0.3 } },
              "shares": { "bank": 0.5, "government": 0.5 }, "government": { "budget": 1.5e6, "shortfallTo": "bank" } },
            { "name": "loose",
              "loans": { "perYear": 80, "years": 3, "amount": { "lognormal": { "median": 5.0e5, "sigma": 0.5 } }, "termYears": 2,
                         "pd": 0.05, "lgd": 0.5, "exposure": { "macro": 0.4 } },
              "shares": { "bank": 0.7, "government": 0.3 }, "government": { "budget": 2.0e7, "shortfallTo": "bank" } },
            { "name": "tape", "loanTape": "tape.csv",
              "shares": { "bank": 0.4, "government": 0.6 }, "government": { "capRate": 0.03, "shortfallTo": "bank" } },
            { "name": "tape-capped", "loanTape": "tape.csv",
              "shares": { "guarantor": 0.5, "bank": 0.2, "government": 0.3 },
              "guarantor": { "capital": 1.9e6, "leverageCap": 10 }, "government": { "budget": 2.0e5, "shortfallTo": "guarantor" } } ],
          "variants": [
            { "name": "shares", "set": { "guarantees[capped].shares.guarantor": 0.4, "guarantees[capped].shares.government": 0.4 } },
            { "name": "cap", "set": { "guarantees[capped].government.capRate": 0.02 } },
            { "name": "budget", "set": { "guarantees[capped].government.budget": 2.0e6 } },
            { "name": "shortfall", "set": { "guarantees[capped].government.shortfallTo": "proRata" } },
            { "name": "capital", "set": { "guarantees[capped].guarantor.capital": 2.2e7 } },
            { "name": "leverage", "set": { "guarantees[capped].guarantor.leverageCap": 14 } },
            { "name": "trigger", "set": { "guarantees[capped].suspendAbovePayoutRate": 0.006 } },
            { "name": "free-shares", "set": { "guarantees[free].shares.bank": 0.2, "guarantees[free].shares.government": 0.8 } },
            { "name": "free-shortfall", "set": { "guarantees[free].government.budget": 5.0e5, "guarantees[free].government.shortfallTo": "proRata" } },
            { "name": "loose-shares", "set": { "guarantees[loose].shares.bank": 0.6, "guarantees[loose].shares.government": 0.4 } },
            { "name": "tape-capital", "set": { "guarantees[tape-capped].guarantor.capital": 1.7e6 } },
            { "name": "tape-leverage", "set": { "guarantees[tape-capped].guarantor.leverageCap": 14 } },
            { "name": "tape-cap", "set": { "guarantees[tape].government.capRate": 0.01 } },
            { "name": "mixed", "set": { "guarantees[capped].government.capRate": 0.03, "guarantees[free].loans.pd": 0.05 } } ] }
        """;

    private static Scenario Load(TempDirectory temp, string json = Json)
    {
        // Two classes: loans of even index PD 3%, odd 6%; amounts and LGDs vary by loan.
        var rows = Enumerable.Range(0, 240).Select(i => string.Create(CultureInfo.InvariantCulture,
            $"L{i},{1.0e5 + 1.0e3 * (i % 17)},{(i % 2 == 0 ? 0.03 : 0.06)},{0.3 + 0.05 * (i % 7)},{1 + i % 3},{1 + i / 80},0.2"));
        File.WriteAllLines(Path.Combine(temp.Path, "tape.csv"), rows.Prepend("id,amount,pd,lgd,termYears,startYear,rho"));
        var loaded = ScenarioLoader.Parse(json, Path.Combine(temp.Path, "replay.json"), temp.Path);
        Assert.That(loaded.Errors, Is.Empty, () => string.Join("\n", loaded.Errors));
        return loaded.Scenario!;
    }

    [Test]
    public void For_SettlementVariants_ReplayWhenTheBaseRecorded()
    {
        using var temp = new TempDirectory();
        var scenario = Load(temp);
        ReuseStep Step(string variant, bool recorded) =>
            Reuse.For(scenario, scenario.Variants.Single(v => v.Name == variant).Scenario, recorded)!.Steps.Single(s => s != ReuseStep.Keep);
        Assert.Multiple(() =>
        {
            foreach (var name in new[] { "shares", "cap", "budget", "shortfall", "capital", "leverage", "trigger", "free-shares", "free-shortfall", "loose-shares", "tape-capital", "tape-leverage", "tape-cap" })
            {
                Assert.That(Step(name, true), Is.EqualTo(ReuseStep.Replay), name);
                Assert.That(Step(name, false), Is.EqualTo(ReuseStep.Evaluate), name + " without a recording");
            }
            // A PD moves the defaults: the instrument is evaluated (both schemes, one instrument).
            Assert.That(Step("mixed", true), Is.EqualTo(ReuseStep.Evaluate));
        });
    }

    [TestCase("")]
    [TestCase(", \"importanceSampling\": { \"shift\": { \"macro\": -0.8 } }")]
    public void Run_SettlementVariants_SameResultFilesAsNewTrials(string sampling)
    {
        using var temp = new TempDirectory();
        var scenario = Load(temp, Json.Replace("\"seed\": 11 }", "\"seed\": 11" + sampling + " }", StringComparison.Ordinal));
        var study = ReuseTests.AssertVariantsAsNewTrials(scenario, temp.Path);
        // The replays moved the figures they should: a tighter pool cap leaves the pool paying less.
        Assert.That(study.Variants[1].Guarantees[0].Government.Mean, Is.LessThan(study.Base.Guarantees[0].Government.Mean));
    }

    [Test]
    public void Run_Recording_SameRowsAsAPlainRunAndRecordsTheTrialsIssuedWhole()
    {
        using var temp = new TempDirectory();
        var scenario = Load(temp) with { Variants = [] };
        var plain = new MemorySink();
        var recorded = new MemorySink();
        new SimulationEngine().Run(scenario, new RunOptions(2), [plain]);
        var recording = new RunRecording();
        new SimulationEngine().Run(scenario, new RunOptions(2) { Recording = recording }, [recorded]);
        Assert.That(recorded.Values, Is.EqualTo(plain.Values), "recording leaves the rows as they were");

        // The capped scheme's record covers every year exactly in the trials whose offers were all issued whole, and in the
        // others the years before the first offer its leverage cap cut. There are both kinds, cut in different years: the
        // replays are exercised and so is the evaluation from a cut year on.
        var layout = new TrialLayout(scenario);
        int loans = layout.Columns.ToList().IndexOf("capped.loans");
        var guarantees = recording.Instruments.Single(r => r is not null)!;
        var capped = new GuaranteeEvaluator(scenario.Guarantees[0]);
        int whole = 0, cut = 0;
        var cutYears = new HashSet<int>();
        for (long trial = 1; trial <= scenario.Trials; trial++)
        {
            bool issuedWhole = plain.Values[(int)((trial - 1) * layout.Count + loans)] == 400;
            int years = capped.RecordedYears(guarantees.Of(trial), 0);
            Assert.That(years == capped.Guarantee.Years, Is.EqualTo(issuedWhole), $"trial {trial}");
            if (issuedWhole) whole++;
            else
            {
                cut++;
                cutYears.Add(years + 1);
            }
        }
        Assert.That(whole, Is.GreaterThan(100), "trials issued whole");
        Assert.That(cut, Is.GreaterThan(100), "trials whose leverage cap cut an offer");
        Assert.That(cutYears, Has.Count.GreaterThan(1), "years in which an offer was first cut");

        // The tape under a guarantor: cut in some trials, whole in others (its record is the fifth scheme's).
        var tape = new GuaranteeEvaluator(scenario.Guarantees[4]);
        int tapeCut = 0;
        for (long trial = 1; trial <= scenario.Trials; trial++)
        {
            var data = guarantees.Of(trial);
            int at = 0;
            for (int g = 0; g < 4; g++) at += 1 + (int)data[at];
            if (tape.RecordedYears(data, at) < tape.Guarantee.Years) tapeCut++;
        }
        Assert.That(tapeCut, Is.InRange(100, scenario.Trials - 100), "tape trials whose leverage cap cut an offer");
    }

    [Test]
    public void Run_RecordingPastItsBudget_IsNotUsable()
    {
        using var temp = new TempDirectory();
        var scenario = Load(temp) with { Variants = [] };
        var recording = new RunRecording(64 * 1024);
        new SimulationEngine().Run(scenario, new RunOptions(2) { Recording = recording }, []);
        Assert.That((recording.Usable, recording.Budget.Overflowed), Is.EqualTo((false, true)));
    }
}
