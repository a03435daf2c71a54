using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace XapiSim.Tests.DataPlane;

public sealed class TransferBehaviourTests
{
    [Fact]
    public async Task No_credentials_get_401_with_a_realm_basic_and_cookie_work()
    {
        await using var h = await DataPlaneHarness.StartAsync();
        var vm = h.Uuid("VM", h.Vm("DEV-test"));
        var task = h.Pool.CreateTask("t", string.Empty);
        using (var response = await h.Http.GetAsync($"/export_metadata?uuid={vm}&task_id={task}"))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            response.Headers.WwwAuthenticate.ToString().ShouldStartWith("Basic realm=");
            h.TaskError(task).ShouldBe(["SESSION_AUTHENTICATION_FAILED"]);
        }

        using (var request = new HttpRequestMessage(HttpMethod.Get, $"/export_metadata?uuid={vm}"))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("root:secret")));
            var sessions = h.Pool.Database.Count("session");
            using var response = await h.Http.SendAsync(request);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            await response.Content.ReadAsByteArrayAsync();

            // The temporary Basic-auth session is logged out when the handler ends, which may be just after the
            // client has the whole response: wait (bounded) for it to go.
            for (var i = 0; i < 100 && h.Pool.Database.Count("session") != sessions; i++)
            {
                await Task.Delay(20);
            }

            h.Pool.Database.Count("session").ShouldBe(sessions);
        }

        using (var request = new HttpRequestMessage(HttpMethod.Get, $"/export_metadata?uuid={vm}"))
        {
            request.Headers.Add("Cookie", "session_id=" + h.Session);
            using var response = await h.Http.SendAsync(request);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            response.Headers.GetValues("task-id").Single().ShouldStartWith("OpaqueRef:");
            response.Headers.ConnectionClose.ShouldBe(true);
            response.Headers.CacheControl!.NoCache.ShouldBeTrue();
            response.Headers.CacheControl.NoStore.ShouldBeTrue();
        }
    }

    [Fact]
    public async Task Given_task_is_driven_with_progress_and_cancel_closes_the_connection()
    {
        await using var h = await DataPlaneHarness.StartAsync();
        var vm = h.Vm("DEV-test");
        var done = h.Pool.CreateTask("export", string.Empty);
        h.Pool.SetTaskProgress(done, -1.0);
        var file = await h.DownloadAsync("/export", $"ref={vm}&task_id={done}", "a.xva");
        h.TaskStatus(done).ShouldBe("success");
        h.TaskResult(done).ShouldBe(string.Empty);
        h.Pool.Database.Get("task", done, "progress").ShouldBe(1.0);

        h.Faults.ProgressInterval = TimeSpan.Zero;
        h.Faults.StallWithinBody = TimeSpan.FromSeconds(2);
        h.Faults.StallAfterBytes = 3 << 20;
        var task = h.Pool.CreateTask("export", string.Empty);
        using var response = await h.Http.GetAsync(h.Url("/export", $"ref={vm}&task_id={task}"), HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[1 << 20];
        var read = 0;
        while (read < (2 << 20))
        {
            read += await body.ReadAsync(buffer);
        }

        var progress = (double)h.Pool.Database.Get("task", task, "progress");
        progress.ShouldBeInRange(0.0, 0.99);
        h.Pool.CancelTask(task);
        await Should.ThrowAsync<Exception>(async () =>
        {
            while (await body.ReadAsync(buffer) > 0)
            {
            }

            throw new IOException("the body ended without being cut");
        });
        (await h.WaitTaskAsync(task)).ShouldBe("cancelled");
        h.TaskError(task).ShouldBe(["TASK_CANCELLED", task]);
    }

    [Fact]
    public async Task Running_vm_gives_500_and_vm_bad_power_state()
    {
        await using var h = await DataPlaneHarness.StartAsync();
        var vm = h.Vm("PROD-web");
        var task = h.Pool.CreateTask("export", string.Empty);
        using var response = await h.Http.GetAsync(h.Url("/export", $"ref={vm}&task_id={task}"));
        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        h.TaskError(task).ShouldBe(["VM_BAD_POWER_STATE", vm, "halted;suspended", "running"]);
    }

    [Fact]
    public async Task Member_that_cannot_see_a_local_sr_redirects_to_its_host()
    {
        await using var h = await DataPlaneHarness.StartAsync();
        var member = h.Fixture.Simulator.HostUris["xs2"];
        var vm = h.Uuid("VM", h.Vm("DEV-test"));
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var response = await client.GetAsync(new Uri(member, $"/export?session_id={h.Session}&uuid={vm}"));
        response.StatusCode.ShouldBe(HttpStatusCode.Found);
        response.Headers.Location!.ToString().ShouldBe($"http://{h.Fixture.HttpUri.Host}:{member.Port}/export?session_id={h.Session}&uuid={vm}");
    }

    [Fact]
    public async Task Chunked_upload_is_refused_with_403_and_the_put_handshake_sends_headers_first()
    {
        await using var h = await DataPlaneHarness.StartAsync();
        using (var raw = Wire.RawHttpConnection.Open(h.Port))
        {
            raw.Send($"PUT /import?session_id={h.Session} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
            var head = raw.ReadHead();
            head.ShouldStartWith("HTTP/1.1 403 Forbidden");
        }

        var tasks = h.Pool.Database.GetAll("task");
        h.TaskError(tasks[^1]).ShouldBe(["IMPORT_ERROR_CANNOT_HANDLE_CHUNKED"]);

        var xva = await h.DownloadAsync("/export", "ref=" + h.Vm("DEV-test"), "h.xva");
        var bytes = await File.ReadAllBytesAsync(xva);
        using (var raw = Wire.RawHttpConnection.Open(h.Port))
        {
            raw.Send($"PUT /import?session_id={h.Session} HTTP/1.0\r\nHost: x\r\nContent-Length: {bytes.Length}\r\n\r\n");
            var head = raw.ReadHead();
            head.ShouldStartWith("HTTP/1.1 200 OK");
            head.ShouldContain("task-id: OpaqueRef:");
            raw.Send(bytes);
            var task = head.Split("task-id: ")[1].Split("\r\n")[0];
            (await h.WaitTaskAsync(task)).ShouldBe("success", string.Join(",", h.TaskError(task)));
        }
    }

    [Fact]
    public async Task Iso_sr_import_is_400_and_xmldbdump_round_trips_through_a_dry_run()
    {
        await using var h = await DataPlaneHarness.StartAsync();
        var iso = h.Pool.Database.FindByNameLabel("SR", "ISO library")[0];
        var file = Path.Combine(h.Scratch, "empty");
        await File.WriteAllBytesAsync(file, new byte[512]);
        var (status, task) = await h.UploadAsync("/import", "sr_id=" + iso, file);
        status.ShouldBe(HttpStatusCode.BadRequest);
        task.ShouldBeEmpty();
        h.TaskError(h.Pool.Database.GetAll("task")[^1]).ShouldBe(["SR_OPERATION_NOT_SUPPORTED"]);

        var dump = await h.DownloadAsync("/pool/xmldbdump", string.Empty, "db.xml");
        var text = await File.ReadAllTextAsync(dump);
        text.ShouldContain("<database><manifest><pair key=\"schema_major_vsn\" value=\"5\" />");
        text.ShouldContain("name__label=\"DEV-test\"");
        var (put, putTask) = await h.UploadAsync("/pool/xmldbdump", "dry_run=true", dump);
        put.ShouldBe(HttpStatusCode.OK);
        (await h.WaitTaskAsync(putTask)).ShouldBe("success", string.Join(",", h.TaskError(putTask)));
        XapiSim.DataPlane.DataPlaneState.For(h.Pool).StagedRestoreBytes.ShouldBe(0);

        var backup = await h.DownloadAsync("/host_backup", string.Empty, "host.tgz");
        var listing = await DataPlaneHarness.RunAsync("tar", h.Scratch, "-tzf", backup);
        listing.ShouldContain("etc/xensource-inventory");
        listing.ShouldContain("var/backup/pool-database-");
        var (restore, restoreTask) = await h.UploadAsync("/host_restore", string.Empty, backup);
        restore.ShouldBe(HttpStatusCode.OK);
        (await h.WaitTaskAsync(restoreTask)).ShouldBe("success");
    }
}
