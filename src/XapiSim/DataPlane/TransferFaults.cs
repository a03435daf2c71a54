using System.Runtime.CompilerServices;
using XapiSim.Model;

namespace XapiSim.DataPlane;

/// <summary>
/// Fault knobs of the HTTP data plane (exports, imports), one set per <see cref="SimulatedPool"/>. Thread-safe; a test may
/// change them at any time and they apply to transfers that start afterwards. Get them with <see cref="For"/>.
/// </summary>
public sealed class TransferFaults
{
    private static readonly ConditionalWeakTable<SimulatedPool, TransferFaults> Registry = [];
    private readonly Lock _sync = new();
    private long? _cutAfterBytes;
    private string[]? _failTask;
    private long? _corruptChunk;
    private TimeSpan _stallBeforeBody;
    private TimeSpan _stallWithinBody;
    private long _stallAfterBytes;
    private TimeSpan _progressInterval = TimeSpan.FromSeconds(10);

    /// <summary>The data-plane knobs of <paramref name="pool"/> (created on first use).</summary>
    public static TransferFaults For(SimulatedPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return Registry.GetValue(pool, _ => new TransferFaults());
    }

    /// <summary>Closes the connection once this many bytes of an export body went out (after compression); null = never.</summary>
    public long? CutExportAfterBytes
    {
        get { lock (_sync) { return _cutAfterBytes; } }
        set { lock (_sync) { _cutAfterBytes = value; } }
    }

    /// <summary>
    /// Fails every transfer with this error (<c>[code, params...]</c>) before its response headers: HTML 500 and the
    /// code in the task's <c>error_info</c>. Null = off.
    /// </summary>
    public IReadOnlyList<string>? FailTaskWith
    {
        get { lock (_sync) { return _failTask; } }
        set { lock (_sync) { _failTask = value is null ? null : [.. value]; } }
    }

    /// <summary>
    /// Flips one byte of the k-th chunk entry (0-based, counted over the whole archive) of an XVA or <c>format=tar</c>
    /// export after its checksum was computed, so the <c>.xxhash</c> no longer matches. Null = off.
    /// </summary>
    public long? CorruptChunk
    {
        get { lock (_sync) { return _corruptChunk; } }
        set { lock (_sync) { _corruptChunk = value; } }
    }

    /// <summary>Sleeps this long after the response headers and before the first body byte of an export.</summary>
    public TimeSpan StallBeforeBody
    {
        get { lock (_sync) { return _stallBeforeBody; } }
        set { lock (_sync) { _stallBeforeBody = value; } }
    }

    /// <summary>Sleeps this long once, when an export body crosses <see cref="StallAfterBytes"/> bytes.</summary>
    public TimeSpan StallWithinBody
    {
        get { lock (_sync) { return _stallWithinBody; } }
        set { lock (_sync) { _stallWithinBody = value; } }
    }

    /// <summary>Where <see cref="StallWithinBody"/> happens (body bytes on the wire).</summary>
    public long StallAfterBytes
    {
        get { lock (_sync) { return _stallAfterBytes; } }
        set { lock (_sync) { _stallAfterBytes = value; } }
    }

    /// <summary>
    /// Minimum time between two task progress updates during a transfer. <value>The default is 10 s, as xapi's export;
    /// tests set zero to see every step.</value>
    /// </summary>
    public TimeSpan ProgressInterval
    {
        get { lock (_sync) { return _progressInterval; } }
        set { lock (_sync) { _progressInterval = value; } }
    }

    /// <summary>Turns every knob off (progress interval back to 10 s).</summary>
    public void Reset()
    {
        lock (_sync)
        {
            _cutAfterBytes = null;
            _failTask = null;
            _corruptChunk = null;
            _stallBeforeBody = TimeSpan.Zero;
            _stallWithinBody = TimeSpan.Zero;
            _stallAfterBytes = 0;
            _progressInterval = TimeSpan.FromSeconds(10);
        }
    }
}
