using System.Buffers;
using System.Diagnostics;
using System.Net.Sockets;
using Xunit.Abstractions;

namespace XapiSim.Tests.Wire;

public sealed class ThroughputTests(ITestOutputHelper output)
{
    [Fact]
    public async Task CloseDelimitedDownload_StreamsAGibibyteQuickly()
    {
        const long total = 1L << 30;
        await using var server = await WireServer.StartAsync(configure: router => router.Map("GET", "/export_raw_vdi", async (exchange, ct) =>
        {
            exchange.ResponseHeaders.Add("Connection", "close");
            var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
            try
            {
                for (long sent = 0; sent < total; sent += buffer.Length)
                {
                    await exchange.ResponseBody.WriteAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, total - sent)), ct);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", server.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync("GET /export_raw_vdi HTTP/1.1\r\n\r\n"u8.ToArray());
        var watch = Stopwatch.StartNew();

        long received = 0;
        var sink = new byte[1 << 20];
        int read;
        while ((read = await stream.ReadAsync(sink)) > 0)
        {
            received += read;
        }

        watch.Stop();
        var rate = total / watch.Elapsed.TotalSeconds / (1 << 20);
        output.WriteLine($"{rate:F0} MiB/s");
        (received - total).ShouldBeInRange(20, 200);
        rate.ShouldBeGreaterThan(200);
    }

    [Fact]
    public async Task TlsDownload_StreamsFast()
    {
        const long total = 512L << 20;
        using var certificate = XapiSim.Http.SelfSignedCertificate.Create("host");
        await using var server = await WireServer.StartAsync(certificate, router => router.Map("GET", "/export", async (exchange, ct) =>
        {
            exchange.ResponseContentLength = total;
            var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
            try
            {
                for (long sent = 0; sent < total; sent += buffer.Length)
                {
                    await exchange.ResponseBody.WriteAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, total - sent)), ct);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", server.Port);
        await using var tls = new System.Net.Security.SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync(new System.Net.Security.SslClientAuthenticationOptions { TargetHost = "host" });
        await tls.WriteAsync("GET /export HTTP/1.1\r\nConnection: close\r\n\r\n"u8.ToArray());
        var watch = Stopwatch.StartNew();

        long received = 0;
        var sink = new byte[1 << 20];
        int read;
        while ((read = await tls.ReadAsync(sink)) > 0)
        {
            received += read;
        }

        watch.Stop();
        var rate = total / watch.Elapsed.TotalSeconds / (1 << 20);
        output.WriteLine($"TLS {rate:F0} MiB/s");
        (received - total).ShouldBeInRange(20, 200);
        rate.ShouldBeGreaterThan(50);
    }

    [Fact]
    public async Task ContentLengthUpload_IsReadStraightFromTheSocket()
    {
        const long total = 512L << 20;
        var counted = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await WireServer.StartAsync(configure: router => router.Map("PUT", "/import_raw_vdi", async (exchange, ct) =>
        {
            exchange.ResponseHeaders.Add("Connection", "close");
            exchange.CloseConnection = true;
            await exchange.SendHeadersAsync(ct);
            var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
            long sum = 0;
            int n;
            while ((n = await exchange.RequestBody.ReadAsync(buffer, ct)) > 0)
            {
                sum += n;
            }

            ArrayPool<byte>.Shared.Return(buffer);
            counted.SetResult(sum);
        }));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", server.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"PUT /import_raw_vdi HTTP/1.0\r\nContent-Length: {total}\r\n\r\n"));
        var head = new byte[256];
        (await stream.ReadAsync(head)).ShouldBeGreaterThan(0);
        var chunk = new byte[1 << 20];
        var watch = Stopwatch.StartNew();

        for (long sent = 0; sent < total; sent += chunk.Length)
        {
            await stream.WriteAsync(chunk);
        }

        var sum = await counted.Task.WaitAsync(TimeSpan.FromSeconds(60));
        watch.Stop();
        output.WriteLine($"{total / watch.Elapsed.TotalSeconds / (1 << 20):F0} MiB/s");
        sum.ShouldBe(total);
    }
}
