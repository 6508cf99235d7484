using Simulator.Cli;
using Simulator.Tests.Support;

namespace Simulator.Tests.Firms;

/// <summary>The command line with books of firms: validate counts them only when a file has them; a bad firm tape stops the
/// run with exit code 2 and no result folder.</summary>
public class FirmCliTests
{
    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory("simulator-firms-cli");

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private static (int Code, string Out, string Err) Cli(params string[] args)
    {
        using var host = CliHost.Build();
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = Entry.RunAsync(args, host.Services, stdout, stderr, CancellationToken.None).GetAwaiter().GetResult();
        return (code, stdout.ToString(), stderr.ToString());
    }

    private const string Firms = """
        { "name": "books", "simulation": { "trials": 100 },
          "firms": [ { "name": "f", "perYear": 2, "years": 1, "loan": { "amount": 1e6, "pd": 0.02 } } ] }
        """;

    [Test]
    public void Validate_FileWithAndWithoutFirms_CountsBooksOnlyWhenThere()
    {
        var (code, stdout, _) = Cli("validate", _temp.Write("with.json", Firms));
        Assert.That(code, Is.EqualTo(0));
        Assert.That(stdout, Does.Contain("0 funds, 0 guarantees, 1 firm book,"));
        (code, stdout, _) = Cli("validate", _temp.Write("without.json", """{ "name": "none", "funds": [ { "name": "a", "type": "seed", "commitment": 1e8, "deals": 5, "check": 1e6 } ] }"""));
        Assert.That(code, Is.EqualTo(0));
        Assert.That(stdout, Does.Contain("1 fund, 0 guarantees, 0 variants").And.Not.Contain("firm book"));
    }

    [Test]
    public void Run_BadFirmTape_ExitCode2WithLineAndColumnAndNoResultFolder()
    {
        _temp.Write("firms.csv", "id,entryYear,amount,pd\na,1,1e6,0.02\nb,1,1e6,7\n");
        string file = _temp.Write("bad.json", """{ "name": "bad", "firms": [ { "name": "f", "firmTape": "firms.csv", "loan": { "lgd": 0.5 } } ] }""");
        string output = Path.Combine(_temp.Path, "out");
        var (code, _, stderr) = Cli("run", file, "--out", output);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("firms.csv:3:4: error at $.firms[0].firmTape: column 'pd': value 7 is out of range"));
        Assert.That(Directory.Exists(Path.Combine(output, "bad")), Is.False);
    }
}
