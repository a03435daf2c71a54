using XapiSim.Rpc;

namespace XapiSim.Faults;

/// <summary>
/// Runtime fault injection for the simulator's control plane. Thread-safe; tests may change knobs at any time.
/// Data-plane knobs (failing exports after N bytes, ...) belong to the HTTP handlers and will live beside these.
/// </summary>
public sealed class FaultKnobs
{
    private readonly Lock _sync = new();
    private readonly List<ArmedFault> _faults = [];
    private TimeSpan _callDelay;
    private TimeSpan? _sessionLifetime;

    /// <summary>Delay added to every RPC call before it runs (default zero).</summary>
    public TimeSpan CallDelay
    {
        get { lock (_sync) { return _callDelay; } }
        set { lock (_sync) { _callDelay = value; } }
    }

    /// <summary>Sessions older than this are invalid (<c>SESSION_INVALID</c>); null = sessions never expire (default).</summary>
    public TimeSpan? SessionLifetime
    {
        get { lock (_sync) { return _sessionLifetime; } }
        set { lock (_sync) { _sessionLifetime = value; } }
    }

    /// <summary>Raised by <see cref="ExpireAllSessions"/>; the simulator invalidates every live session.</summary>
    public event EventHandler? SessionsExpired;

    /// <summary>Makes every session that exists now invalid; later logins work normally.</summary>
    public void ExpireAllSessions()
    {
        SessionsExpired?.Invoke(this, EventArgs.Empty);
    }

    /// <summary>Adds a method fault. Returns a handle that removes it when disposed.</summary>
    public IDisposable FailMethod(MethodFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        var armed = new ArmedFault(fault, this);
        lock (_sync)
        {
            _faults.Add(armed);
        }

        return armed;
    }

    /// <summary>Shorthand: every call of <paramref name="method"/> fails with <paramref name="code"/> and <paramref name="parameters"/>.</summary>
    public IDisposable FailMethod(string method, string code, params string[] parameters)
        => FailMethod(new MethodFault(method, code, parameters));

    /// <summary>Removes every method fault and resets delay and session lifetime.</summary>
    public void Reset()
    {
        lock (_sync)
        {
            _faults.Clear();
            _callDelay = TimeSpan.Zero;
            _sessionLifetime = null;
        }
    }

    /// <summary>Counts a call of <paramref name="method"/> against the armed faults and returns the failure to raise, if any.</summary>
    internal XenApiFailure? NextFailure(string method)
    {
        lock (_sync)
        {
            foreach (var armed in _faults)
            {
                if (!string.Equals(armed.Fault.Method, method, StringComparison.Ordinal))
                {
                    continue;
                }

                armed.Calls++;
                var due = armed.Fault.OnCall is not { } n || armed.Calls >= n;
                var limit = armed.Fault.Times ?? (armed.Fault.OnCall is null ? int.MaxValue : 1);
                var left = armed.Fired < limit;
                if (due && left)
                {
                    armed.Fired++;
                    return new XenApiFailure(armed.Fault.Code, [.. armed.Fault.Parameters]);
                }
            }

            return null;
        }
    }

    private void Remove(ArmedFault armed)
    {
        lock (_sync)
        {
            _faults.Remove(armed);
        }
    }

    private sealed class ArmedFault(MethodFault fault, FaultKnobs owner) : IDisposable
    {
        public MethodFault Fault { get; } = fault;

        public int Calls { get; set; }

        public int Fired { get; set; }

        public void Dispose() => owner.Remove(this);
    }
}
