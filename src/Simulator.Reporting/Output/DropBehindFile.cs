using System.Runtime.InteropServices;

namespace Simulator.Reporting.Output;

/// <summary>
/// A file written once from start to end, large (trials.csv of a 20-fund programme is 1.6 GB a million trials) and not
/// read again by this process: on Linux, every <see cref="Window"/> bytes the newest window's write-back to disk is
/// started and the window before it, once on disk, is dropped from the page cache ("drop-behind", as
/// <c>dd oflag=nocache</c> does). The file's footprint in memory stays about two windows instead of its whole size, so
/// a long run does not push other programs' data out of memory, and its writes reuse the same page-cache memory
/// instead of taking ever new pages. That matters on virtual machines whose memory is provided on first touch: here
/// writing 6 GB into fresh page cache took 2.3 s a GB of system time, against 0.3 s a GB for windows that are
/// dropped behind (docs/performance.md, "Writing the results"). Elsewhere, or when the system calls are refused (a file system without them), it
/// is a plain file stream; the bytes written are the same either way.
/// </summary>
public sealed class DropBehindFile : Stream
{
    /// <summary>Bytes between write-back points.</summary>
    public const long Window = 32L << 20;

    private readonly FileStream _file;
    private long _position, _started, _dropped;
    private bool _enabled = OperatingSystem.IsLinux();

    /// <summary>Creates (or truncates) <paramref name="path"/> for writing, with a write buffer of <paramref name="bufferSize"/> bytes.</summary>
    public DropBehindFile(string path, int bufferSize = 1 << 16) =>
        _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize);

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _file.Write(buffer);
        _position += buffer.Length;
        if (_enabled && _position - _started >= Window) WriteBack();
    }

    // Starts write-back of [_started, _position) and drops [_dropped, _started), which was started a window ago and is
    // waited for first (usually long written by then).
    private void WriteBack()
    {
        _file.Flush();
        int fd = (int)_file.SafeFileHandle.DangerousGetHandle();
        long end = _position;
        bool ok = SyncFileRange(fd, _started, end - _started, SyncWrite) == 0;
        if (ok && _started > _dropped)
        {
            ok = SyncFileRange(fd, _dropped, _started - _dropped, SyncWaitBefore | SyncWrite | SyncWaitAfter) == 0
                && PosixFadvise(fd, _dropped, _started - _dropped, FadviseDontNeed) == 0;
            _dropped = _started;
        }
        _started = end;
        _enabled = ok; // refused once (EINVAL, ENOSYS): a plain stream from here on
    }

    private const uint SyncWaitBefore = 1, SyncWrite = 2, SyncWaitAfter = 4;
    private const int FadviseDontNeed = 4;

    [DllImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    private static extern int SyncFileRange(int fd, long offset, long count, uint flags);

    [DllImport("libc", EntryPoint = "posix_fadvise")]
    private static extern int PosixFadvise(int fd, long offset, long length, int advice);

    /// <inheritdoc />
    public override void Flush() => _file.Flush();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) _file.Dispose();
        base.Dispose(disposing);
    }

    /// <inheritdoc />
    public override bool CanRead => false;
    /// <inheritdoc />
    public override bool CanSeek => false;
    /// <inheritdoc />
    public override bool CanWrite => true;
    /// <inheritdoc />
    public override long Length => _position;
    /// <inheritdoc />
    public override long Position { get => _position; set => throw new NotSupportedException(); }
    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();
}
