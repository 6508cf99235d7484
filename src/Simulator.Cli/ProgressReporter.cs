using System.Diagnostics;
using System.Globalization;

namespace Simulator.Cli;

/// <summary>
/// Shows how a run is going on stderr: a one-line progress bar (trials done, rate, time left) redrawn in place
/// when stderr is a terminal; plain lines every few seconds when it is not (logs, CI); nothing with --quiet.
/// stdout stays clean for the results, so scripts can pipe it.
/// </summary>
internal sealed class ProgressReporter : IProgress<long>
{
    private static readonly TimeSpan LineInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(200);
    private readonly TextWriter _stderr;
    private readonly bool _interactive;
    private readonly string _label;
    private readonly long _total;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan? _lastShown;
    private bool _drewBar;

    public ProgressReporter(TextWriter stderr, bool interactive, string label, long total)
    {
        _stderr = stderr;
        _interactive = interactive;
        _label = label;
        _total = Math.Max(1, total);
    }

    /// <summary>Whether stderr is a terminal (decides between a bar and plain lines).</summary>
    public static bool StderrIsTerminal => !Console.IsErrorRedirected;

    public void Report(long done)
    {
        var now = _clock.Elapsed;
        bool finished = done >= _total;
        if (!finished && _lastShown is { } last && now - last < (_interactive ? RedrawInterval : LineInterval)) return;
        if (!finished && _lastShown is null && !_interactive)
        {
            _lastShown = now; // logs: the first line comes after one interval, so short runs stay silent
            return;
        }
        if (!_interactive && finished && !_drewBar) return; // short runs print nothing in logs
        _lastShown = now;
        double rate = done / Math.Max(1e-9, now.TotalSeconds);
        double left = rate > 0 ? (_total - done) / rate : double.NaN;
        string text = string.Create(CultureInfo.InvariantCulture,
            $"{_label}: {done:N0}/{_total:N0} trials ({100.0 * done / _total:F0}%), {Rate(rate)}/s, {(finished ? "done" : $"about {Duration(left)} left")}");
        if (_interactive)
        {
            const int width = 24;
            int filled = (int)(width * done / _total);
            _stderr.Write($"\r[{new string('#', filled)}{new string('-', width - filled)}] {text}".PadRight(Math.Min(160, text.Length + 40)));
            if (finished) _stderr.WriteLine();
        }
        else
        {
            _stderr.WriteLine(text);
        }
        _drewBar = true;
    }

    private static string Rate(double r) => r >= 1e6 ? $"{r / 1e6:F1}M" : r >= 1e3 ? $"{r / 1e3:F1}k" : $"{r:F0}";

    private static string Duration(double seconds) =>
        double.IsNaN(seconds) ? "?" : seconds < 90 ? $"{Math.Ceiling(seconds):F0} s" : $"{seconds / 60:F0} min";
}
