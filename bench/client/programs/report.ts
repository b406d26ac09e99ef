// Each program lists every result, then reports on stdout: items, first-item time, CPU, peak RSS.
export function reporter() {
  let first = 0;
  let count = 0;
  let checksum = 0;
  return {
    item(id: string | undefined) {
      if (count++ === 0) first = performance.now();
      checksum += id?.length ?? 0;
    },
    done() {
      const cpu = process.cpuUsage();
      process.stdout.write(`${JSON.stringify({ count, checksum, firstItemMs: first, wallMs: performance.now(), cpuMs: (cpu.user + cpu.system) / 1000, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
    },
  };
}
export const base = process.argv[2] ?? '';
export const workflowId = '14879e66-9ea9-48d0-804d-8fea672d0341';
export const runId = 'dad77a47-6eda-4de7-bc37-fe8eb5aaf17d';
