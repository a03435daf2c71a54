using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace VmBackup.Xapi.Tests.Fakes;

/// <summary>
/// The connection side shared by the test HTTP servers: a listener on a loopback address, an accept loop, optional TLS
/// with the given certificate, and a per-connection callback that gets the (decrypted) stream. A client that goes away
/// or refuses the certificate ends only its connection.
/// </summary>
internal sealed class LoopbackTcpServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly X509Certificate2? _certificate;
    private readonly Func<Stream, Task> _serve;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;

    public LoopbackTcpServer(Func<Stream, Task> serve, X509Certificate2? certificate, IPAddress? address = null, int port = 0)
    {
        _serve = serve;
        _certificate = certificate;
        _listener = new TcpListener(address ?? IPAddress.Loopback, port);
        _listener.Start();
        _acceptLoop = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public IPAddress Address => ((IPEndPoint)_listener.LocalEndpoint).Address;

    public Uri Uri => new((_certificate is null ? "http" : "https") + "://" + Address + ":" + Port + "/");

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                Stream stream = client.GetStream();
                if (_certificate is not null)
                {
                    var ssl = new SslStream(stream);
                    await ssl.AuthenticateAsServerAsync(_certificate, false, false);
                    stream = ssl;
                }

                await using (stream)
                {
                    await _serve(stream);
                }
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or System.Security.Authentication.AuthenticationException)
            {
                // The client went away or refused our certificate.
            }
        }
    }
}
