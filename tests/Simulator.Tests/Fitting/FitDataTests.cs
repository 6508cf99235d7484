using Simulator.Core.Fitting;
using Simulator.Tests.Support;

namespace Simulator.Tests.Fitting;

/// <summary>Reading the fits' CSV files: every problem at once, each with its file, line and column.</summary>
public class FitDataTests
{
    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory("simulator-fit-data");

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void ExitData_BadCells_EveryProblemWithLineAndColumn()
    {
        string path = _temp.Write("exits.csv", "# synthetic\nmultiple,years,stage\n1.5,3,seed\n-0.5,2,seed\nabc,4,seed\n2,x,seed\n3,2,\n0,1,bad stage\n");
        var read = ExitData.Read(path);
        var text = read.Errors.Select(e => e.ToString()).ToList();
        Assert.That(read.Rows, Is.Empty);
        Assert.That(text, Has.Count.EqualTo(5), string.Join("\n", text));
        Assert.That(text[0], Does.StartWith($"{path}:4:1: error: multiple: value -0.5 is out of range; allowed: a multiple of the check from 0"));
        Assert.That(text[1], Does.StartWith($"{path}:5:1: error: multiple: 'abc' is not a number"));
        Assert.That(text[2], Does.StartWith($"{path}:6:2: error: years: 'x' is not a number"));
        Assert.That(text[3], Does.StartWith($"{path}:7:3: error: stage: the cell is empty"));
        Assert.That(text[4], Does.StartWith($"{path}:8:3: error: stage: 'bad stage' is not a valid stage"));
    }

    [Test]
    public void ExitData_HeaderProblems_NamedWithTheAllowedColumns()
    {
        string path = _temp.Write("exits.csv", "multipel,yrs\n1,2\n");
        var text = ExitData.Read(path).Errors.Select(e => e.ToString()).ToList();
        Assert.That(text, Has.Some.Contains(":1:1: error: unknown column 'multipel' (did you mean 'multiple'?)"));
        Assert.That(text, Has.Some.Contains("the header has no 'multiple' column"));
        Assert.That(text, Has.Some.Contains("the header has no 'years' column"));
    }

    [Test]
    public void ExitData_CommentsAndCaseInsensitiveHeader_Read()
    {
        string path = _temp.Write("exits.csv", "# SYNTHETIC\nMultiple,Years,Sector\n0,1,bio\n2.5,6,software\n\n");
        var read = ExitData.Read(path);
        Assert.That(read.Errors, Is.Empty);
        Assert.That(read.Rows.Select(r => (r.Multiple, r.Years, r.Sector, r.Line)), Is.EqualTo(new[] { (0.0, 1.0, (string?)"bio", 3), (2.5, 6.0, "software", 4) }));
    }

    [Test]
    public void DefaultData_DefaultsAboveLoansAndDuplicates_Reported()
    {
        string path = _temp.Write("d.csv", "year,loans,defaults,grade\n2001,100,5,A\n2002,100,120,A\n2003,1.5,0,A\n2001,100,3,A\n2001,100,3,B\n");
        var text = DefaultData.Read(path).Errors.Select(e => e.ToString()).ToList();
        Assert.That(text, Has.Count.EqualTo(3), string.Join("\n", text));
        Assert.That(text[0], Is.EqualTo($"{path}:3:3: error: defaults: 120 defaults are more than the 100 loans of the line; allowed: 0 to 100"));
        Assert.That(text[1], Does.StartWith($"{path}:4:2: error: loans: value 1.5 is out of range; allowed: a whole number of loans"));
        Assert.That(text[2], Does.StartWith($"{path}:5:1: error: year: 2001 of grade A appears twice (first on line 2)"));
    }

    [Test]
    public void Read_MissingOrEmptyFile_OneClearError()
    {
        Assert.That(ExitData.Read(Path.Combine(_temp.Path, "none.csv")).Errors.Single().ToString(), Does.EndWith("none.csv: error: file not found"));
        Assert.That(DefaultData.Read(_temp.Write("empty.csv", "")).Errors.Single().Message, Does.StartWith("the file is empty"));
    }
}
