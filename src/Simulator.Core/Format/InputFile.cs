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
}
