using System.Runtime.InteropServices;

namespace Simulator.Reporting.Output;

/// <summary>
/// A result folder written atomically: files go to a hidden temporary folder beside the final one, which takes the
/// final name only when complete. A failed or cancelled run leaves the previous results untouched and no
/// half-written folder; a killed one never leaves the scenario's name without results that were there (see
/// <see cref="Commit"/>) and its hidden leftovers are cleared by the next run (<see cref="Leftovers.Recover"/>).
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
        string work = Path.Combine(outputRoot, Leftovers.NameFor(name, Leftovers.Partial));
        Directory.CreateDirectory(work);
        return new ResultFolder(final, work);
    }

    /// <summary>
    /// Makes sure results can be written below <paramref name="outputRoot"/> before any work: creates it and writes
    /// and removes a small file in it. Throws the file system's exception (IOException, UnauthorizedAccessException)
    /// when that fails, so that a bad --out is reported at once instead of after the trials.
    /// </summary>
    public static void CheckWritable(string outputRoot)
    {
        Directory.CreateDirectory(outputRoot);
        string probe = Path.Combine(outputRoot, Leftovers.NameFor("write-check", Leftovers.Partial));
        File.WriteAllText(probe, "simulator: checking that results can be written here\n");
        File.Delete(probe);
    }

    /// <summary>
    /// Moves the finished folder into place, replacing earlier results of the same scenario. On Linux the two folders
    /// are exchanged in one step (<c>renameat2</c> with <c>RENAME_EXCHANGE</c>), so at every moment the scenario's
    /// name holds either the earlier results or the new ones, whenever the process is killed; the earlier ones, now
    /// under the hidden name, are deleted afterwards. Where that is not available, the earlier folder is first moved
    /// aside to a hidden <c>.old-</c> name, from which the next run restores it if the process was killed before the
    /// new one took its place.
    /// </summary>
    public void Commit()
    {
        var movedAside = new List<string>();
        // Another run of the same scenario into the same output folder may create or replace the final folder between
        // two steps here; each step that finds the state changed starts over.
        for (int attempt = 0; !_committed; attempt++)
        {
            if (!Directory.Exists(WorkPath)) throw new DirectoryNotFoundException($"{WorkPath} disappeared before it could be moved to {FinalPath}");
            if (attempt == MaxAttempts) throw new IOException($"could not move {WorkPath} to {FinalPath}: other runs kept replacing it");
            if (!Directory.Exists(FinalPath))
            {
                _committed = TryMove(WorkPath, FinalPath);
                continue;
            }
            switch (Exchange(WorkPath, FinalPath))
            {
                case ExchangeResult.Done:
                    _committed = true;
                    movedAside.Add(WorkPath); // the earlier results, now under the temporary name
                    break;
                case ExchangeResult.Unsupported:
                    string old = Path.Combine(Path.GetDirectoryName(FinalPath)!, Leftovers.NameFor(Path.GetFileName(FinalPath), Leftovers.Old));
                    if (!TryMove(FinalPath, old)) continue;
                    movedAside.Add(old);
                    _committed = TryMove(WorkPath, FinalPath);
                    break;
                case ExchangeResult.Changed:
                    break; // the final folder went away meanwhile: start over
            }
        }
        foreach (var path in movedAside)
        {
            try
            {
                Leftovers.Delete(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The new results are in place; a hidden leftover is harmless and the next run removes it.
            }
        }
    }

    private const int MaxAttempts = 8;

    // A move that fails because another run took the target name, or moved the source (only ever the final folder)
    // away, meanwhile returns false; any other failure throws.
    private bool TryMove(string from, string to)
    {
        try
        {
            Directory.Move(from, to);
            return true;
        }
        catch (IOException) when (Path.Exists(to) || (from != WorkPath && !Directory.Exists(from)))
        {
            return false;
        }
    }

    private enum ExchangeResult { Done, Unsupported, Changed }

    /// <summary>Set by tests to commit as systems without an atomic exchange do.</summary>
    internal static bool ExchangeDisabled { get; set; }

    private static ExchangeResult Exchange(string a, string b)
    {
        if (!OperatingSystem.IsLinux() || ExchangeDisabled) return ExchangeResult.Unsupported;
        try
        {
            if (RenameAt2(AtFdCwd, a, AtFdCwd, b, RenameExchange) == 0) return ExchangeResult.Done;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return ExchangeResult.Unsupported; // a C library without renameat2 (glibc before 2.28)
        }
        int error = Marshal.GetLastPInvokeError();
        return error switch
        {
            ENOENT => ExchangeResult.Changed,
            EINVAL or ENOSYS or ENOTSUP => ExchangeResult.Unsupported, // a file system or kernel without RENAME_EXCHANGE
            _ => throw new IOException($"could not exchange {a} and {b}: {Marshal.GetPInvokeErrorMessage(error)}"),
        };
    }

    private const int AtFdCwd = -100, ENOENT = 2, EINVAL = 22, ENOSYS = 38, ENOTSUP = 95;
    private const uint RenameExchange = 2;

    [DllImport("libc", EntryPoint = "renameat2", SetLastError = true)]
    private static extern int RenameAt2(int fromDirectory, [MarshalAs(UnmanagedType.LPUTF8Str)] string from, int toDirectory,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string to, uint flags);

    /// <summary>Removes the temporary folder unless committed.</summary>
    public void Dispose()
    {
        if (!_committed && Directory.Exists(WorkPath))
        {
            try
            {
                Directory.Delete(WorkPath, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Best effort: a leftover hidden .partial folder is harmless, never mistaken for results, and removed
                // by the next run once this process is gone.
            }
        }
    }
}
