namespace Simulator.Core.Format;

/// <summary>
/// A named rule set of <c>policy.rules</c>: the loss tolerances one jurisdiction's rules give each fund type or
/// category, with where each number comes from. A field the source does not give is null where another field stands in
/// for it (industry → venture, buyout → industry, fundOfFunds → angel; futureIndustry → the fund type's own), or an
/// assumption stated in <see cref="Source"/>. docs/scenario-format.md ("Rule sets") lists them with their sources.
/// </summary>
/// <param name="Name">The name in <c>policy.rules</c>.</param>
/// <param name="Tolerance">The tolerances (null: follows the field that stands in for it).</param>
/// <param name="Source">The document and what of the set is taken from it, and what is an assumption.</param>
public sealed record PolicyRuleSet(string Name, ToleranceSpec Tolerance, string Source);

/// <summary>The named rule sets and the resolution of a file's <c>policy</c> block against them.</summary>
public static class PolicyRules
{
    /// <summary>The rule set a file without <c>policy.rules</c> is judged by.</summary>
    public const string Default = "wuhan-2025";

    /// <summary>
    /// Wuhan 2025–2027 action plan (武政办〔2025〕67号, item 5): 允许种子基金、天使基金分别出现最高不超过投资总额80%、60%的亏损，
    /// 种子直投、天使直投单个项目最高允许100%亏损. Venture 0.6 is an assumption (the plan names only seed and angel funds; the
    /// angel figure); industry and buyout funds follow venture, a fund-of-funds follows angel.
    /// </summary>
    public static PolicyRuleSet Wuhan2025 => new("wuhan-2025",
        new ToleranceSpec { Seed = 0.8, Angel = 0.6, Venture = 0.6, DirectProject = 1.0 },
        "武汉市 2025-2027 行动方案 (武政办〔2025〕67号) item 5: seed 80%, angel 60%, single seed/angel direct project 100%. Assumed: venture 60% (the angel figure), industry and buyout follow venture, a fund-of-funds follows angel.");

    /// <summary>
    /// Sichuan, 《四川省推动创业投资高质量发展的若干措施》 (2025): 政府引导基金和国资基金投资损失容忍率最高60%，种子期或未来产业基金可提高至80%，
    /// 单个项目允许100%亏损. Seed funds are seed-stage (80%); every other type takes the general 60%.
    /// </summary>
    public static PolicyRuleSet Sichuan2025 => new("sichuan-2025",
        new ToleranceSpec { Seed = 0.8, Angel = 0.6, Venture = 0.6, Industry = 0.6, Buyout = 0.6, DirectProject = 1.0, FutureIndustry = 0.8, FundOfFunds = 0.6 },
        "四川省推动创业投资高质量发展的若干措施 (2025): 60% in general, up to 80% for seed-stage or future-industry funds, 100% per company. Seed funds count as seed-stage; every other type takes the general 60%.");

    /// <summary>
    /// Guangzhou Development District (Huangpu), 《广州开发区（黄埔区）科技创新创业投资母基金直接股权投资实施细则》 (February 2025):
    /// 允许种子直投、天使直投、产业直投分别出现最高不超过各类别投资总额50%、40%、30%的亏损；种子直投、天使直投单项目最高允许出现100%亏损.
    /// The categories' caps are applied to funds of those types; venture and buyout funds take the industry cap (an
    /// assumption: the rules name no such category); a fund-of-funds follows angel.
    /// </summary>
    public static PolicyRuleSet Huangpu2025 => new("huangpu-2025",
        new ToleranceSpec { Seed = 0.5, Angel = 0.4, Venture = 0.3, Industry = 0.3, Buyout = 0.3, DirectProject = 1.0 },
        "广州开发区（黄埔区）科技创新创业投资母基金直接股权投资实施细则 (2025): seed 50%, angel 40%, industry 30% of each category's total, 100% per seed/angel direct project. Assumed: venture and buyout take the industry 30%; a fund-of-funds follows angel.");

    /// <summary>
    /// Anhui (2026): its angel fund-of-funds (天使母基金) may lose up to 80%, as issue 15 states it; the original text was not
    /// among the sources this project holds. Every other tolerance is Wuhan's (an assumption).
    /// </summary>
    public static PolicyRuleSet Anhui2026 => new("anhui-2026",
        new ToleranceSpec { Seed = 0.8, Angel = 0.6, Venture = 0.6, DirectProject = 1.0, FundOfFunds = 0.8 },
        "安徽省天使母基金群 (2026), as summarised in issue 15: the angel fund-of-funds may lose up to 80%. Assumed: every other tolerance as in wuhan-2025.");

    /// <summary>The rule sets by name.</summary>
    public static IReadOnlyDictionary<string, PolicyRuleSet> All { get; } = new[] { Wuhan2025, Sichuan2025, Huangpu2025, Anhui2026 }
        .ToDictionary(r => r.Name, StringComparer.Ordinal);

    /// <summary>The names, in the order above.</summary>
    public static IReadOnlyList<string> Names { get; } = ["wuhan-2025", "sichuan-2025", "huangpu-2025", "anhui-2026"];

    /// <summary>
    /// The filled <c>policy</c> block. Without <c>rules</c> the four tolerances that existed before rule sets are filled
    /// with Wuhan's and the others stay unset (they follow their stand-ins at build), so files written before rule sets
    /// give the same scenario.json. With <c>rules</c>, every tolerance is resolved: the field written wins, else the rule
    /// set's, else its stand-in's; futureIndustry stays unset when neither gives one. The exemption gets its defaults.
    /// </summary>
    public static PolicySpec Fill(PolicySpec? written)
    {
        var t = written?.Tolerance;
        var exemption = written?.Exemption is { } e ? e with { DiligenceFailure = e.DiligenceFailure ?? 0 } : null;
        if (written?.Rules is not { } name || !All.TryGetValue(name, out var set))
        {
            var wuhan = Wuhan2025.Tolerance;
            return new PolicySpec
            {
                Rules = written?.Rules,
                Tolerance = (t ?? new ToleranceSpec()) with
                {
                    Seed = t?.Seed ?? wuhan.Seed,
                    Angel = t?.Angel ?? wuhan.Angel,
                    Venture = t?.Venture ?? wuhan.Venture,
                    DirectProject = t?.DirectProject ?? wuhan.DirectProject,
                },
                Exemption = exemption,
            };
        }
        var r = set.Tolerance;
        double angel = t?.Angel ?? r.Angel!.Value, venture = t?.Venture ?? r.Venture!.Value;
        double industry = t?.Industry ?? r.Industry ?? venture;
        return new PolicySpec
        {
            Rules = name,
            Tolerance = new ToleranceSpec
            {
                Seed = t?.Seed ?? r.Seed,
                Angel = angel,
                Venture = venture,
                DirectProject = t?.DirectProject ?? r.DirectProject,
                Industry = industry,
                Buyout = t?.Buyout ?? r.Buyout ?? industry,
                FutureIndustry = t?.FutureIndustry ?? r.FutureIndustry,
                FundOfFunds = t?.FundOfFunds ?? r.FundOfFunds ?? angel,
            },
            Exemption = exemption,
        };
    }

    /// <summary>
    /// The tolerance of a fund of type <paramref name="type"/> (its name in the scenario file: seed, angel, venture, industry,
    /// buyout, direct) without one of its own under the filled block <paramref name="t"/>: a fund marked futureIndustry,
    /// when the block gives that category one, the category's, else its type's. One definition for the funds and for the
    /// instruments that judge a fund's projects under its tolerance (a relay), so both use the same value.
    /// </summary>
    public static double TypeTolerance(ToleranceSpec t, string type, bool futureIndustry) =>
        futureIndustry && type != "direct" && t.FutureIndustry is { } category ? category : type switch
        {
            "seed" => t.Seed!.Value,
            "angel" => t.Angel!.Value,
            "venture" => t.Venture!.Value,
            "industry" => Industry(t),
            "buyout" => Buyout(t),
            _ => t.DirectProject!.Value,
        };

    /// <summary>Industry funds' tolerance of a filled block: its own, else venture's.</summary>
    public static double Industry(ToleranceSpec t) => t.Industry ?? t.Venture!.Value;

    /// <summary>Buyout funds' tolerance of a filled block: its own, else industry's.</summary>
    public static double Buyout(ToleranceSpec t) => t.Buyout ?? Industry(t);

    /// <summary>A fund-of-funds' tolerance of a filled block: its own, else angel's.</summary>
    public static double FundOfFunds(ToleranceSpec t) => t.FundOfFunds ?? t.Angel!.Value;
}
