using VmBackup.Xapi.Transfers;

namespace VmBackup.Core.Restore;

/// <summary>How a health check runs. Immutable.</summary>
public sealed record HealthcheckOptions
{
    /// <summary>The SR to restore to (name-label or uuid); null for the pool's default SR.</summary>
    public string? Sr { get; init; }

    /// <summary>How long to wait for the pool to report the VM Running.</summary>
    /// <value>The default value is 5 minutes.</value>
    public TimeSpan BootTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the power state is read while waiting.</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Write the <c>healthcheck</c> record into the backup folder.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool WriteRecord { get; init; } = true;

    /// <summary>Transfer tuning; null for the defaults.</summary>
    public XenApiTransferOptions? Transfers { get; init; }

    /// <summary>The clock (names, durations, record date).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
