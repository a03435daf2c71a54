using System.Diagnostics.CodeAnalysis;

namespace VmBackup.Core.Nau;

/// <summary>
/// The outcome of parsing NAUbackup-form input: a value, or the console lines to print and the exit status
/// (failure as a value, after NodaTime's <c>ParseResult</c>).
/// </summary>
/// <typeparam name="T">The parsed value type.</typeparam>
public sealed class NauParseResult<T>
    where T : class
{
    private readonly T? _value;

    private NauParseResult(T? value, IReadOnlyList<NauLogLine> errorLines, int exitCode)
    {
        _value = value;
        ErrorLines = errorLines;
        ExitCode = exitCode;
    }

    /// <summary>True when parsing succeeded.</summary>
    public bool Success => _value is not null;

    /// <summary>The lines to print on failure (empty on success).</summary>
    public IReadOnlyList<NauLogLine> ErrorLines { get; }

    /// <summary>The exit status on failure; <see cref="NauExitCode.Success"/> on success.</summary>
    public int ExitCode { get; }

    /// <summary>The first error line's message, for exceptions and tests.</summary>
    public string ErrorMessage => ErrorLines.Count == 0 ? string.Empty : ErrorLines[0].Message;

    /// <summary>Creates a success.</summary>
    public static NauParseResult<T> ForValue(T value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(value, [], NauExitCode.Success);
    }

    /// <summary>Creates a failure.</summary>
    public static NauParseResult<T> ForError(IReadOnlyList<NauLogLine> lines, int exitCode = NauExitCode.UsageOrConfigError) =>
        new(null, lines, exitCode);

    /// <summary>Creates a failure with one raw line.</summary>
    public static NauParseResult<T> ForError(string rawMessage) => ForError([NauLogLine.Raw(rawMessage)]);

    /// <summary>Gets the value when parsing succeeded.</summary>
    public bool TryGetValue([NotNullWhen(true)] out T? value)
    {
        value = _value;
        return value is not null;
    }

    /// <summary>The value, or an <see cref="InvalidOperationException"/> carrying the first error line.</summary>
    public T GetValueOrThrow() => _value ?? throw new InvalidOperationException(ErrorMessage);
}
