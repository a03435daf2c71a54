using System.Globalization;
using System.Text;
using System.Xml.Linq;
using VmBackup.Formats.XmlRpc;
using VmBackup.Xapi;

namespace VmBackup.Core.Dr;

/// <summary>
/// A session opened by <c>VDI.open_database</c>: its getters read the replicated database of the lost pool. It is a
/// second session ref on the live pool, which <see cref="XenApiSession.CallAsync{T}"/> cannot use (it prepends its
/// own), so calls are posted here as XML-RPC through the live session's <see cref="XenApiSession.HttpClient"/>.
/// Arguments are strings and booleans only.
/// </summary>
internal sealed class DrDatabaseSession : IAsyncDisposable
{
    private readonly XenApiSession _live;
    private readonly string _ref;

    private DrDatabaseSession(XenApiSession live, string sessionRef)
    {
        _live = live;
        _ref = sessionRef;
    }

    /// <summary>Opens the database held by the metadata VDI <paramref name="metadataVdi"/>.</summary>
    public static async Task<DrDatabaseSession> OpenAsync(XenApiSession live, string metadataVdi, CancellationToken cancellationToken)
    {
        var sessionRef = await live.CallAsync<string>("VDI.open_database", [metadataVdi], cancellationToken).ConfigureAwait(false);
        return new DrDatabaseSession(live, sessionRef);
    }

    /// <summary>Calls <paramref name="method"/> with the database session; returns the raw value (see <see cref="XenApiSession.CallAsync{T}"/>).</summary>
    public async Task<object?> CallAsync(string method, object[] args, CancellationToken cancellationToken)
    {
        var body = new StringBuilder("<?xml version=\"1.0\"?><methodCall><methodName>").Append(method).Append("</methodName><params>");
        foreach (var arg in (object[])[_ref, .. args])
        {
            body.Append("<param>");
            XmlRpcValueWriter.Write(body, arg switch
            {
                string s => XmlRpcValue.FromString(s),
                bool b => XmlRpcValue.FromBoolean(b),
                _ => throw new ArgumentException("only string and boolean arguments are supported", nameof(args)),
            });
            body.Append("</param>");
        }

        body.Append("</params></methodCall>");
        using var content = new StringContent(body.ToString(), Encoding.UTF8, "text/xml");
        using var response = await _live.HttpClient.PostAsync(_live.ServerUri, content, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var xml = XDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        var value = xml.Descendants("param").Elements("value").FirstOrDefault()
            ?? throw new InvalidDataException(method + ": the XML-RPC reply has no value");
        var envelope = XmlRpcValueParser.ParseValue(value);
        if (envelope["Status"]?.Text == "Success")
        {
            return ToRaw(envelope["Value"]);
        }

        var error = envelope["ErrorDescription"]?.Items.Select(i => i.Text).ToArray() ?? [];
        throw new XenApiException(error.Length > 0 ? error[0] : "UNKNOWN", error.Skip(1).ToArray(), method);
    }

    /// <summary>Logs the database session out (best effort).</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await CallAsync("session.logout", [], timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is XenApiException or HttpRequestException or OperationCanceledException or InvalidDataException or System.Xml.XmlException)
        {
            // The session dies with the pool anyway.
        }
    }

    private static object? ToRaw(XmlRpcValue? value) => value?.Kind switch
    {
        null => null,
        XmlRpcKind.String => value.Text,
        XmlRpcKind.Int => value.Integer,
        XmlRpcKind.Boolean => value.Boolean,
        XmlRpcKind.Double => value.Double,
        XmlRpcKind.DateTime => value.DateTime,
        XmlRpcKind.Array => value.Items.Select(ToRaw).ToArray(),
        XmlRpcKind.Struct => value.Members.ToDictionary(m => m.Key, m => ToRaw(m.Value), StringComparer.Ordinal),
        _ => value.Text,
    };

    /// <summary>The raw struct <paramref name="raw"/> as a field map.</summary>
    public static IReadOnlyDictionary<string, object?> Struct(object? raw) =>
        raw as IReadOnlyDictionary<string, object?> ?? throw new InvalidDataException("expected an XML-RPC struct, found " + Convert.ToString(raw, CultureInfo.InvariantCulture));
}
