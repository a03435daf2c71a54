// Drives XapiSim with Xen Orchestra's own XenAPI client (npm `xen-api`), the way XO does,
// and prints one JSON object describing what it saw. The C# test asserts on that object.
//
// usage: node xen-api-client.mjs URL USER PASSWORD VM_NAME
import { createClient } from 'xen-api'

const [url, user, password, vmName] = process.argv.slice(2)
const report = {}

function client(pwd) {
  return createClient({
    url,
    auth: { user, password: pwd },
    allowUnauthorized: true, // XO's lab mode; the C# tests pin the fingerprint themselves
    watchEvents: ['VM', 'task'],
  })
}

const xapi = client(password)
try {
  await xapi.connect()
  report.connected = true
  report.poolRef = xapi.pool.$ref
  report.poolName = xapi.pool.name_label

  const records = await xapi.call('VM.get_all_records')
  const vms = Object.entries(records).filter(
    ([, vm]) => !vm.is_a_template && !vm.is_a_snapshot && !vm.is_control_domain
  )
  report.vmNames = vms.map(([, vm]) => vm.name_label).sort()
  report.memoryType = typeof Object.values(records)[0].memory_static_max

  const [vmRef] = vms.find(([, vm]) => vm.name_label === vmName) ?? []
  if (vmRef === undefined) throw new Error(`VM ${vmName} not found`)

  // A task-based call: Async.VM.snapshot, result read from the task through event.from.
  const snapshotRef = await xapi.callAsync('VM.snapshot', vmRef, `${vmName} xo-snapshot`)
  const snapshot = await xapi.call('VM.get_record', snapshotRef)
  report.snapshot = {
    ref: snapshotRef,
    name: snapshot.name_label,
    is_a_snapshot: snapshot.is_a_snapshot,
    is_a_template: snapshot.is_a_template,
    snapshot_of_matches: snapshot.snapshot_of === vmRef,
  }

  // Field setter and map helpers exactly as XO uses them (remove before add).
  await xapi.setFieldEntry('VM', snapshotRef, 'other_config', 'xo:backup', 'yes')
  report.otherConfig = await xapi.getField('VM', snapshotRef, 'other_config')

  // Clean up what we made so the pool is as before.
  await xapi.call('VM.destroy', snapshotRef)
  report.destroyed = true
} catch (error) {
  report.error = { code: error.code, params: error.params, message: String(error.message) }
} finally {
  await xapi.disconnect()
}

const bad = client(password + '-wrong')
try {
  await bad.connect()
  report.wrongPassword = { code: 'NO_ERROR' }
} catch (error) {
  report.wrongPassword = { code: error.code, params: error.params }
} finally {
  await bad.disconnect()
}

process.stdout.write(JSON.stringify(report) + '\n')
