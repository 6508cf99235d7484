using Simulator.Reporting.Html;
using Simulator.Tests.Support;

namespace Simulator.Tests.Reporting;

/// <summary>The page shell: its style sheet and scripts are the files under src/Simulator.Reporting/Html/, written inline.</summary>
public class HtmlPageTests
{
    private static string Source(string name) =>
        File.ReadAllText(Path.Combine(TestScenarios.RepositoryRoot, "src", "Simulator.Reporting", "Html", name)).Replace("\r\n", "\n").TrimEnd('\n');

    [Test]
    public void Render_SortablePage_InlinesTheEmbeddedStyleSheetAndScripts()
    {
        string page = HtmlPage.Render("en", "title", "<p>body</p>", sortable: true);

        Assert.That(page, Does.Contain("<style>\n" + Source("report.css").Replace("FONTS", HtmlPage.FontStack) + "\n</style>\n"));
        Assert.That(page, Does.Contain("<head>").And.Contain("<script>\n" + Source("check.js") + "\n</script>\n</head>"));
        Assert.That(page, Does.EndWith("</main>\n<script>\n" + Source("sort.js") + "\n</script>\n</body>\n</html>\n"));
    }

    [Test]
    public void Render_PageWithoutSorting_LeavesTheSortScriptOut()
    {
        string page = HtmlPage.Render("zh", "标题", "<p>body</p>", sortable: false);

        Assert.That(page, Does.Not.Contain(Source("sort.js")));
        Assert.That(page, Does.EndWith("</main>\n</body>\n</html>\n"));
    }
}
