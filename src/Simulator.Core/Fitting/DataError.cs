namespace Simulator.Core.Fitting;

/// <summary>A problem with a data file given to <c>simulator fit</c>: the file, the line and column (1-based) where it
/// is, and what is wrong and what is allowed.</summary>
/// <param name="File">The file as given on the command line.</param>
/// <param name="Line">The line, or null for a problem with the whole file.</param>
/// <param name="Column">The column, or null for a problem with the whole line.</param>
/// <param name="Message">What is wrong and what is allowed.</param>
public sealed record DataError(string File, int? Line, int? Column, string Message)
{
    /// <summary>Formats as <c>file:line:col: error: message</c>, the shape compilers (and the scenario loader) use.</summary>
    public override string ToString()
    {
        string where = Line is null ? File : Column is null ? $"{File}:{Line}" : $"{File}:{Line}:{Column}";
        return $"{where}: error: {Message}";
    }
}

/// <summary>What a reader of a data file returns: the rows, or every problem found (then no rows).</summary>
/// <typeparam name="T">One row.</typeparam>
/// <param name="Rows">The rows in file order (empty when there are errors).</param>
/// <param name="Errors">Every problem, in file order.</param>
public sealed record DataRead<T>(IReadOnlyList<T> Rows, IReadOnlyList<DataError> Errors)
{
    /// <summary>True when the file had no problem.</summary>
    public bool IsValid => Errors.Count == 0;
}
