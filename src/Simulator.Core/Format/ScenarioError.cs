namespace Simulator.Core.Format;

/// <summary>One problem found in a scenario file: where it is and how to fix it.</summary>
/// <param name="File">The file as the user named it.</param>
/// <param name="Path">JSON path of the offending value, e.g. <c>$.funds[0].deals</c>.</param>
/// <param name="Line">1-based line, when known.</param>
/// <param name="Column">1-based column, when known.</param>
/// <param name="Message">What is wrong and what is allowed.</param>
public sealed record ScenarioError(string File, string Path, int? Line, int? Column, string Message)
{
    /// <summary>Formats as <c>file:line:col: path: message</c>, the shape compilers use so editors can jump to it.</summary>
    public override string ToString()
    {
        string where = Line is null ? File : Column is null ? $"{File}:{Line}" : $"{File}:{Line}:{Column}";
        return $"{where}: error at {Path}: {Message}";
    }
}
