namespace XapiSim.Model.Schema;

/// <summary>
/// One message (API call) of a class. <see cref="Parameters"/> exclude the session; <see cref="TakesSession"/> says
/// whether the wire call starts with one.
/// </summary>
internal sealed record MessageSchema(string ClassName, string Name, bool IsImplicit, bool IsRemoved, XapiType Result, IReadOnlyList<ParamSchema> Parameters, bool TakesSession)
{
    /// <summary>The wire name, <c>Class.message</c>.</summary>
    public string WireName => ClassName + "." + Name;

    /// <summary>How many trailing parameters have defaults and may be left out.</summary>
    public int RequiredCount => Parameters.Count - Parameters.Reverse().TakeWhile(p => p.HasDefault).Count();

    /// <summary>
    /// Explicit messages XAPI declares with <c>~flags:[`Session]</c> (no Async variant); collected from
    /// ocaml/idl/datamodel*.ml by name.
    /// </summary>
    private static readonly HashSet<string> SessionOnlyNames = new(StringComparer.Ordinal)
    {
        "abort_new_master", "apply_edition", "archive_now", "backup_rrds", "change_password", "commit_new_master",
        "create_alert", "detect_nonhomogeneous_external_auth", "disable_external_auth",
        "disable_local_storage_caching", "dmesg", "emergency_clear_mandatory_guidance",
        "emergency_disable_tls_verification", "emergency_ha_disable", "emergency_reenable_tls_verification",
        "emergency_reset_master", "emergency_reset_server_certificate", "emergency_transition_to_master",
        "enable_binary_storage", "enable_external_auth", "enable_local_storage_caching", "enable_tls_verification",
        "external_auth_set_ldaps", "forget_data_source_archives", "get_alerts", "get_allowed_VBD_devices",
        "get_allowed_VIF_devices", "get_boot_record", "get_by_permission", "get_by_permission_name_label",
        "get_current_id", "get_data_sources", "get_diagnostic_timing_stats", "get_group_membership",
        "get_guest_secureboot_readiness", "get_nbd_info", "get_permissions", "get_permissions_name_label",
        "get_server_localtime", "get_servertime", "get_since", "get_sm_diagnostics", "get_subject_identifier",
        "get_subject_information_from_identifier", "get_supported_types", "get_system_status_capabilities",
        "get_thread_diagnostics", "ha_compute_hypothetical_max_host_failures_to_tolerate",
        "ha_compute_max_host_failures_to_tolerate", "ha_compute_vm_failover_plan", "ha_failover_plan_exists",
        "ha_prevent_restarts_for", "ha_xapi_healthcheck", "is_in_emergency_mode", "is_slave", "local_assert_healthy",
        "local_logout", "local_management_reconfigure", "logout", "management_disable", "propose_new_master",
        "protect_now", "query_data_source", "record_data_source", "request_backup", "request_config_file_sync",
        "reset_cpu_features", "set_HVM_boot_policy", "set_HVM_shadow_multiplier", "set_NVRAM",
        "set_NVRAM_EFI_variables", "set_VCPUs_at_startup", "set_VCPUs_max", "set_alarm_config",
        "set_archive_frequency", "set_archive_last_run_time", "set_archive_schedule", "set_archive_target_config",
        "set_archive_target_type", "set_backup_frequency", "set_backup_last_run_time", "set_backup_retention_value",
        "set_backup_schedule", "set_cpu_features", "set_domain_type", "set_error_info", "set_ext_auth_max_threads",
        "set_frequency", "set_ha_always_run", "set_ha_restart_priority", "set_hostname_live", "set_is_a_snapshot",
        "set_is_alarm_enabled", "set_is_archive_running", "set_is_backup_running", "set_last_run_time",
        "set_local_auth_max_threads", "set_managed", "set_memory_dynamic_max", "set_memory_dynamic_min",
        "set_memory_static_max", "set_memory_static_min", "set_metadata_of_pool", "set_missing", "set_other_config",
        "set_physical_size", "set_physical_utilisation", "set_platform", "set_progress", "set_protection_policy",
        "set_read_only", "set_resident_on", "set_result", "set_retained_snapshots", "set_schedule", "set_sharable",
        "set_snapshot_of", "set_snapshot_schedule", "set_snapshot_time", "set_status", "set_type",
        "set_virtual_allocation", "set_virtual_size", "signal_networking_change", "sm_dp_destroy", "snapshot_now",
        "sync_data", "sync_pif_currently_attached", "sync_tunnels", "sync_vlans", "test_archive_target",
        "tickle_heartbeat", "update_firewalld_service_status", "get_all_records_where", "get_all_records",
        "get_record", "get_by_uuid", "get_all",
    };

    /// <summary>
    /// True if XAPI offers an <c>Async.</c> variant: explicit messages (and implicit constructors/destructors) outside
    /// session, task, event and message, unless declared session-only.
    /// </summary>
    public bool HasAsync =>
        !IsRemoved && TakesSession && ClassName is not ("session" or "task" or "event" or "message" or "secret") &&
        (IsImplicit ? Name is "create" or "destroy" : !SessionOnlyNames.Contains(Name));
}
