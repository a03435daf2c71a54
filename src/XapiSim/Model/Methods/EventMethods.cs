using System.Globalization;
using XapiSim.Model.Database;
using XapiSim.Rpc;

namespace XapiSim.Model.Methods;

/// <summary>
/// <c>event.from</c> (blocking up to the timeout until something matching changes), <c>event.inject</c> and
/// <c>event.get_current_id</c>. Tokens are <c>%020d,%020d</c>: the database generation, then 0.
/// </summary>
internal static class EventMethods
{
    public static void Register(MethodTable table)
    {
        table.Add("event.from", FromAsync);
        table.Add("event.inject", call =>
        {
            var className = call.Str(0);
            var reference = call.Str(1);
            call.Pool.Database.Require(className, reference);
            call.Pool.Database.Touch(reference);
            return Token(call.Pool.Database.Generation);
        });
        table.Add("event.get_current_id", call => call.Pool.Database.Generation);
    }

    /// <summary>Formats an event token.</summary>
    public static string Token(long generation) => string.Create(CultureInfo.InvariantCulture, $"{generation:D20},{0:D20}");

    private static async ValueTask<object> FromAsync(MethodCall call, CancellationToken cancellationToken)
    {
        var db = call.Pool.Database;
        var classes = call.List(0).Cast<string>().ToList();
        var since = ParseToken(call.Str(1));
        var timeout = TimeSpan.FromSeconds(Math.Clamp(call.Double(2), 0, 3600));
        var filter = Filter(classes);
        using var timer = new CancellationTokenSource(timeout, call.Pool.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, cancellationToken);
        while (true)
        {
            IReadOnlyList<ObjectChange> changes;
            long generation;
            lock (db.SyncRoot)
            {
                generation = db.Generation;
                changes = db.ChangesSince(since, filter);
            }

            if (changes.Count > 0 || timer.IsCancellationRequested)
            {
                return Batch(db, classes, changes, generation);
            }

            try
            {
                await db.WaitForChangeAsync(generation, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Timed out: answer with what there is (nothing), and the current token.
            }

            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private static long ParseToken(string token)
    {
        if (token.Length == 0)
        {
            return 0;
        }

        var comma = token.IndexOf(',', StringComparison.Ordinal);
        var first = comma < 0 ? token : token[..comma];
        return long.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var generation)
            ? generation
            : throw new XenApiFailure("EVENT_FROM_TOKEN_PARSE_FAILURE", token);
    }

    private static Func<string, string, bool> Filter(IReadOnlyList<string> classes)
    {
        var all = classes.Contains("*");
        var names = classes.Where(c => !c.Contains('/', StringComparison.Ordinal)).Select(c => c.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        var objects = classes.Where(c => c.Contains('/', StringComparison.Ordinal))
            .Select(c => c[(c.IndexOf('/', StringComparison.Ordinal) + 1)..])
            .ToHashSet(StringComparer.Ordinal);
        return (eventClass, reference) => all || names.Contains(eventClass) || objects.Contains(reference);
    }

    private static Dictionary<string, object> Batch(PoolDatabase db, IReadOnlyList<string> classes, IReadOnlyList<ObjectChange> changes, long generation)
    {
        var events = new List<object>(changes.Count);
        foreach (var change in changes)
        {
            var item = new Dictionary<string, object>
            {
                ["id"] = change.Generation.ToString(CultureInfo.InvariantCulture),
                ["timestamp"] = "0.0",
                ["class"] = change.ClassName,
                ["operation"] = change.Operation,
                ["ref"] = change.Ref,
            };
            if (change.Snapshot is not null)
            {
                item["snapshot"] = change.Snapshot;
            }

            events.Add(item);
        }

        var counts = new Dictionary<string, object>();
        var all = classes.Contains("*");
        foreach (var schema in PoolDatabase.Model.Classes.Values)
        {
            if (schema.IsStored && (all || classes.Any(c => string.Equals(c.Split('/')[0], schema.EventName, StringComparison.OrdinalIgnoreCase))))
            {
                counts[schema.EventName] = db.Count(schema.Name);
            }
        }

        return new Dictionary<string, object>
        {
            ["events"] = events,
            ["valid_ref_counts"] = counts,
            ["token"] = Token(generation),
        };
    }
}
