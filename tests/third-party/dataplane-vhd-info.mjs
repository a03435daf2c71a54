// Reads a VHD file with npm vhd-lib@0.7.2 (an independent reader) and prints its footer, header and BAT as JSON.
// Usage: node dataplane-vhd-info.mjs <file.vhd>
import fs from 'node:fs/promises'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const Vhd = require('vhd-lib').default

const path = process.argv[2]
const file = await fs.open(path, 'r')
const handler = {
  async read (_path, buffer, position) {
    const { bytesRead } = await file.read(buffer, 0, buffer.length, position)
    return { bytesRead, buffer }
  },
  async getSize () {
    return (await file.stat()).size
  }
}
const vhd = new Vhd(handler, path)
await vhd.readHeaderAndFooter(true)
await vhd.readBlockAllocationTable()
const allocated = []
for (let i = 0; i < vhd.header.maxTableEntries; i++) {
  if (vhd.containsBlock(i)) allocated.push(i)
}
await file.close()
console.log(JSON.stringify({
  diskType: vhd.footer.diskType,
  currentSize: Number(vhd.footer.currentSize),
  creatorApplication: vhd.footer.creatorApplication,
  blockSize: vhd.header.blockSize,
  maxTableEntries: vhd.header.maxTableEntries,
  tableOffset: Number(vhd.header.tableOffset),
  allocatedBlocks: allocated
}))
