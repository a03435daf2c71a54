// Builds an XVA from a raw disk file with Xen Orchestra's npm @xen-orchestra/xva@1.0.3 (an independent XVA writer).
// Usage: node dataplane-xo-xva.mjs <disk.raw> <out.xva> <network-uuid>
import fs from 'node:fs'
import { importVm } from '@xen-orchestra/xva/importVm.mjs'

const [rawPath, outPath, networkUuid] = process.argv.slice(2)
const size = fs.statSync(rawPath).size
const vhd = {
  footer: { currentSize: size },
  rawContent: async () => fs.createReadStream(rawPath)
}
const vm = {
  name_label: 'xo-written',
  memory: 512 * 1024 * 1024,
  nCpus: 1,
  firmware: 'bios',
  networks: [],
  vdis: [{ name_label: 'xo-disk', name_description: 'written by @xen-orchestra/xva', virtual_size: size }],
  vhds: [vhd]
}
const fakeXapi = {
  async task_create () { return 'OpaqueRef:fake-task' },
  putResource (pack) {
    return new Promise((resolve, reject) => {
      const out = fs.createWriteStream(outPath)
      pack.pipe(out)
      out.on('finish', () => resolve('<value><array><data><value>OpaqueRef:written</value></data></array></value>'))
      out.on('error', reject)
    })
  }
}
const ref = await importVm(vm, fakeXapi, { $ref: 'OpaqueRef:sr', uuid: 'sr-uuid', name_label: 'sr' }, { $ref: 'OpaqueRef:net', uuid: networkUuid, name_label: 'net' })
console.log(JSON.stringify({ ref, bytes: fs.statSync(outPath).size }))
