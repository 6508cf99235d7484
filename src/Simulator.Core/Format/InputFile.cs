using System.Runtime.InteropServices;

namespace Simulator.Core.Format;

/// <summary>
/// Refuses input paths that are not regular files before they are opened: opening a named pipe waits for a writer
/// that never comes, and reading /dev/zero grows until memory runs out. .NET reports both as ordinary files of
/// length 0, so on Linux the file type comes from <c>statx</c>; elsewhere every existing path passes, as before.
/// </summary>
internal static class InputFile
{
    /// <summary>What the path is when it is not a regular file ("a named pipe (FIFO)"), or null when it is one or
    /// when that cannot be told (not Linux, or the call refused).</summary>
    public static string? NotRegular(string path)
    {
        if (!OperatingSystem.IsLinux()) return null;
        var buffer = new byte[StatxSize];
        try
        {
            // Follows symbolic links: a link to a regular file is a regular file.
            if (Statx(AtFdCwd, path, 0, StatxType, buffer) != 0) return null;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return null; // a C library without statx (glibc before 2.28): read as before
        }
        int type = BitConverter.ToUInt16(buffer, ModeOffset) & TypeMask;
        return type switch
        {
            0x8000 => null,
            0x1000 => "a named pipe (FIFO)",
            0x2000 => "a character device",
            0x6000 => "a block device",
            0xC000 => "a socket",
            0x4000 => "a folder",
            _ => "not a regular file",
        };
    }

    // struct statx has the same layout on every Linux architecture: stx_mode is a 16-bit field at byte 28 of 256.
    private const int StatxSize = 256, ModeOffset = 28, TypeMask = 0xF000, AtFdCwd = -100;
    private const uint StatxType = 1;

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int directory, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);

    /// <summary>
    /// The full path of a tape (a loan tape, a firm tape) given as <paramref name="tape"/> in a scenario file in <paramref name="folder"/>, or
    /// null with a message when it lies outside that folder. A scenario file may come from someone else: confining its
    /// tapes to its own folder (after resolving <c>..</c> and symbolic links) keeps it from reading, and quoting in its
    /// messages, any other file the user can read.
    /// </summary>
    public static string? Resolve(string folder, string tape, string noun, string example, out string? problem)
    {
        problem = null;
        string root, full;
        try
        {
            root = RealPath(Path.GetFullPath(folder));
            full = RealPath(Path.GetFullPath(Path.Combine(folder, tape)));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or IOException or UnauthorizedAccessException)
        {
            problem = $"value \"{ScenarioLimits.Quote(tape)}\" is not a usable file path; allowed: a CSV file in the scenario file's folder or below it, e.g. \"{example}\"";
            return null;
        }
        var comparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        if (full.StartsWith(Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar, comparison)) return full;
        problem = $"{noun} \"{ScenarioLimits.Quote(tape)}\" is outside the scenario file's folder; allowed: a CSV file in that folder or below it, " +
            $"given relative to the scenario file (e.g. \"{example}\"); copy the tape there";
        return null;
    }

    // The path with every symbolic link resolved, so that a link inside the folder cannot point outside it.
    private static string RealPath(string fullPath, int depth = 0)
    {
        if (depth > 40) throw new IOException("too many levels of symbolic links");
        string root = Path.GetPathRoot(fullPath) ?? "";
        string current = root;
        foreach (var part in fullPath[root.Length..].Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar))
        {
            if (part.Length == 0) continue;
            current = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            if (info.LinkTarget is null) continue;
            var target = info.ResolveLinkTarget(returnFinalTarget: true);
            if (target is not null) current = RealPath(Path.GetFullPath(target.FullName), depth + 1);
        }
        return current;
    }
}
