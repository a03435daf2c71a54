using VmBackup.Xapi.Events;

namespace VmBackup.Xapi.Classes;

/// <summary><c>event</c> messages.</summary>
public sealed class EventApi
{
    private readonly XenApiSession _session;

    internal EventApi(XenApiSession session) => _session = session;

    /// <summary>
    /// <c>event.from(classes, token, timeout)</c>: blocks up to <paramref name="timeout"/> for events after
    /// <paramref name="token"/> (<c>""</c> = from the start). Subscriptions: <c>*</c>, a class (<c>vm</c>) or one object
    /// (<c>task/OpaqueRef:…</c>). The timeout is sent as a non-integer double (whole seconds + 0.1, like Xen Orchestra).
    /// </summary>
    public async Task<EventBatch> FromAsync(IReadOnlyList<string> classes, string token, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(classes);
        var raw = await _session.InvokeAsync("event.from", [classes, token, ToWireTimeout(timeout)], cancellationToken).ConfigureAwait(false);
        return EventBatch.FromRaw(raw);
    }

    /// <summary><c>event.inject(class, ref)</c>: makes XAPI emit a <c>mod</c> event for the object; returns the event's token.</summary>
    public Task<string> InjectAsync(string className, IXenRef self, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(self);
        return _session.CallAsync<string>("event.inject", [className, self.OpaqueRef], cancellationToken);
    }

    /// <summary>Seconds as a double that is never an integer (XAPI accepts floats only as <c>&lt;double&gt;</c>).</summary>
    internal static double ToWireTimeout(TimeSpan timeout)
    {
        var seconds = Math.Max(0, timeout.TotalSeconds);
        return Math.Floor(seconds) == seconds ? seconds + 0.1 : seconds;
    }

}
