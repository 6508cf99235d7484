namespace Simulator.Cli.Serve;

/// <summary>The what-if page: one self-contained HTML file (its script and styles inline, no CDN), embedded in the program.</summary>
internal static class ServePage
{
    /// <summary>The page's HTML.</summary>
    public static readonly string Html = Read();

    private static string Read()
    {
        using var stream = typeof(ServePage).Assembly.GetManifestResourceStream("serve-page.html")
            ?? throw new InvalidOperationException("the what-if page is missing from the program (embedded resource serve-page.html)");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
