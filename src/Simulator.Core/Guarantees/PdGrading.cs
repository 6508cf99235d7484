namespace Simulator.Core.Guarantees;

/// <summary>
/// What grading a loan tape's PDs did (docs/model.md §7, "PD grading"): the allowed and the realised relative change of
/// any loan's PD, the distinct PDs and risk classes before and after, the tape's expected loss Σ amount × LGD × PD with
/// the exact and the graded PDs, and the bound on how far the mean loss can move. Figures of the tape as read, before
/// any stress of the library.
/// </summary>
/// <param name="MaxRelativeError">The allowed relative change of a loan's PD (the file's <c>pdGrading.maxRelativeError</c>).</param>
/// <param name="DistinctPds">Distinct PD values of the tape.</param>
/// <param name="Grades">Distinct PD values after grading.</param>
/// <param name="ClassesBefore">Risk classes (PD and loadings) of the tape.</param>
/// <param name="ClassesAfter">Risk classes after grading.</param>
/// <param name="RealisedMaxRelativeChange">max over the loans of |pd′ − pd| / pd (0 for loans with PD 0, which keep it).</param>
/// <param name="ExpectedLossExact">Σ amount × LGD × pd over the loans, in loan order.</param>
/// <param name="ExpectedLossGraded">Σ amount × LGD × pd′ over the loans, in loan order.</param>
/// <param name="MeanLossBound">Σ amount × LGD × termYears × |pd′ − pd|: the mean total loss of the graded tape differs from the exact tape's by at most this much.</param>
public sealed record PdGradingSummary(double MaxRelativeError, int DistinctPds, int Grades, int ClassesBefore, int ClassesAfter,
    double RealisedMaxRelativeChange, double ExpectedLossExact, double ExpectedLossGraded, double MeanLossBound);

/// <summary>
/// The opt-in grading of a loan tape's PDs (<c>pdGrading</c>): a tape whose PDs are a model's continuous output has as
/// many risk classes as loans, and every class costs one threshold per year and trial. Grading puts loans with nearly
/// equal PDs into one class, with a documented error bound:
/// <list type="bullet">
/// <item>Loans with different loadings stay in different classes; within one set of loadings the distinct PDs are
/// sorted and cut into grades from the lowest up: a grade takes the next PD as long as its PD — the mean of its PDs
/// weighted by amount × LGD — stays within <c>maxRelativeError</c> of every PD in it (relative to that PD).</item>
/// <item>Weighting by amount × LGD keeps Σ amount × LGD × PD of every grade, so a one-year tape's expected loss is that
/// of the exact tape (up to rounding); a grade of one PD keeps that PD bit for bit, so a tape already in grades is
/// unchanged.</item>
/// <item>A PD of 0 is never moved (no relative change could be stated).</item>
/// </list>
/// Deterministic: the graded classes are numbered in the order the tape's classes first appear.
/// </summary>
public static class PdGrading
{
    /// <summary>The tape with every loan's PD replaced by its grade's, and what that did.</summary>
    public static (TapeBook Book, PdGradingSummary Summary) Grade(TapeBook tape, double maxRelativeError)
    {
        if (!(maxRelativeError > 0 && maxRelativeError < 1)) throw new ArgumentOutOfRangeException(nameof(maxRelativeError), "allowed: greater than 0 and below 1");
        var classes = tape.Classes;
        int n = tape.Count;

        // Weights of each class: Σ amount × LGD (its expected loss per unit PD), and Σ amount for classes whose LGDs are all 0.
        var lossWeight = new double[classes.Count];
        var amountWeight = new double[classes.Count];
        for (int i = 0; i < n; i++)
        {
            lossWeight[tape.ClassOf[i]] += tape.Amount[i] * tape.LgdValues[i];
            amountWeight[tape.ClassOf[i]] += tape.Amount[i];
        }

        // Classes with the same loadings, each group's classes by PD (distinct within a group: a class is a PD and loadings).
        var groups = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var groupOrder = new List<List<int>>();
        for (int c = 0; c < classes.Count; c++)
        {
            string key = string.Join(",", classes[c].Loadings.Select(b => BitConverter.DoubleToInt64Bits(b).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            if (!groups.TryGetValue(key, out var members)) groupOrder.Add(groups[key] = members = []);
            members.Add(c);
        }

        var gradeOf = new int[classes.Count]; // class → grade (numbered across groups)
        var gradePd = new List<double>();
        foreach (var members in groupOrder)
        {
            members.Sort((a, b) => classes[a].Pd.CompareTo(classes[b].Pd) is var byPd && byPd != 0 ? byPd : a.CompareTo(b));
            for (int s = 0; s < members.Count;)
            {
                int end = s + 1;
                double pd = classes[members[s]].Pd;
                if (pd > 0)
                {
                    var sums = new Sums();
                    sums.Add(lossWeight[members[s]], amountWeight[members[s]], pd);
                    while (end < members.Count)
                    {
                        int next = members[end];
                        var wider = sums;
                        wider.Add(lossWeight[next], amountWeight[next], classes[next].Pd);
                        double mean = Clamped(wider.Mean, members, s, end + 1);
                        if (!Within(mean, classes[members[s]].Pd) || !Within(mean, classes[next].Pd)) break;
                        sums = wider;
                        pd = mean;
                        end++;
                    }
                    // The ends bound every member exactly when mean − pd is computed without rounding; with a wide allowance it
                    // may not be, so check them all and give up the top member until they pass (a grade of one PD always does).
                    while (!AllWithin(members, s, end, pd)) pd = GradePd(members, s, --end);
                }
                for (int k = s; k < end; k++) gradeOf[members[k]] = gradePd.Count;
                gradePd.Add(pd);
                s = end;
            }
        }

        // Graded classes in the order the tape's classes first appear (the tape's own order when nothing merges).
        var newIndex = new int[gradePd.Count];
        Array.Fill(newIndex, -1);
        var graded = new List<RiskClass>();
        var classMap = new int[classes.Count];
        for (int c = 0; c < classes.Count; c++)
        {
            int g = gradeOf[c];
            if (newIndex[g] < 0)
            {
                newIndex[g] = graded.Count;
                graded.Add(BitConverter.DoubleToInt64Bits(gradePd[g]) == BitConverter.DoubleToInt64Bits(classes[c].Pd) ? classes[c] : classes[c] with { Pd = gradePd[g] });
            }
            classMap[c] = newIndex[g];
        }
        var classOf = Array.ConvertAll(tape.ClassOf, c => classMap[c]);

        double exact = 0, gradedLoss = 0, bound = 0, realised = 0;
        for (int i = 0; i < n; i++)
        {
            double p = classes[tape.ClassOf[i]].Pd, q = graded[classOf[i]].Pd, loss = tape.Amount[i] * tape.LgdValues[i];
            exact += loss * p;
            gradedLoss += loss * q;
            bound += loss * tape.TermYears[i] * Math.Abs(q - p);
            if (p > 0) realised = Math.Max(realised, Math.Abs(q - p) / p);
        }
        var summary = new PdGradingSummary(maxRelativeError, classes.Select(c => c.Pd).Distinct().Count(), graded.Select(c => c.Pd).Distinct().Count(),
            classes.Count, graded.Count, realised, exact, gradedLoss, bound);
        var book = new TapeBook(tape.Path, tape.Ids, tape.Amount, tape.LgdValues, tape.StartYear, tape.TermYears, classOf, graded);
        return (book, summary);

        bool Within(double grade, double pd) => Math.Abs(grade - pd) / pd <= maxRelativeError;

        bool AllWithin(List<int> members, int start, int end, double grade)
        {
            for (int k = start; k < end; k++)
            {
                if (!Within(grade, classes[members[k]].Pd)) return false;
            }
            return true;
        }

        // The PD of the grade of members start..end−1: the one PD itself, or the mean weighted by amount × LGD (by amount
        // when every LGD is 0), kept within the grade's range against rounding.
        double GradePd(List<int> members, int start, int end)
        {
            if (end - start == 1) return classes[members[start]].Pd;
            var sums = new Sums();
            for (int k = start; k < end; k++) sums.Add(lossWeight[members[k]], amountWeight[members[k]], classes[members[k]].Pd);
            return Clamped(sums.Mean, members, start, end);
        }

        double Clamped(double mean, List<int> members, int start, int end) => Math.Clamp(mean, classes[members[start]].Pd, classes[members[end - 1]].Pd);
    }

    /// <summary>Running sums of a grade's weights: amount × LGD, and amount for a grade whose LGDs are all 0.</summary>
    private struct Sums
    {
        private double _w, _wp, _a, _ap;

        public void Add(double lossWeight, double amountWeight, double pd)
        {
            _w += lossWeight;
            _wp += lossWeight * pd;
            _a += amountWeight;
            _ap += amountWeight * pd;
        }

        public readonly double Mean => _w > 0 ? _wp / _w : _ap / _a;
    }
}
