namespace Simulator.Reporting.Output;

/// <summary>
/// A result folder written atomically: files go to a hidden temporary folder beside the final one, which is
/// moved into place only when complete. A failed or cancelled run leaves the previous results untouched and
/// no half-written folder.
/// </summary>
public sealed class ResultFolder : IDisposable
{
    private bool _committed;

    private ResultFolder(string finalPath, string workPath)
    {
        FinalPath = finalPath;
        WorkPath = workPath;
    }

    /// <summary>Where the results end up: &lt;out&gt;/&lt;name&gt;.</summary>
    public string FinalPath { get; }

    /// <summary>Where files are written until <see cref="Commit"/>.</summary>
    public string WorkPath { get; }

    /// <summary>Creates the temporary folder for <paramref name="name"/> under <paramref name="outputRoot"/>.</summary>
    public static ResultFolder Create(string outputRoot, string name)
    {
        Directory.CreateDirectory(outputRoot);
        string final = Path.Combine(outputRoot, name);
        string work = Path.Combine(outputRoot, $".{name}.partial-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        return new ResultFolder(final, work);
    }

    /// <summary>Moves the finished folder into place, replacing earlier results of the same scenario.</summary>
    public void Commit()
    {
        string? old = null;
        if (Directory.Exists(FinalPath))
        {
            old = Path.Combine(Path.GetDirectoryName(FinalPath)!, $".{Path.GetFileName(FinalPath)}.old-{Guid.NewGuid():N}");
            Directory.Move(FinalPath, old);
        }
        Directory.Move(WorkPath, FinalPath);
        _committed = true;
        if (old is not null) Directory.Delete(old, recursive: true);
    }

    /// <summary>Removes the temporary folder unless committed.</summary>
    public void Dispose()
    {
        if (!_committed && Directory.Exists(WorkPath))
        {
            try
            {
                Directory.Delete(WorkPath, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a leftover hidden .partial folder is harmless and never mistaken for results.
            }
        }
    }
}
