// Loaded with `node --import` into every contender, the rollcall CLI included, so that each reports its own
// peak resident memory and CPU time the same way, as the process exits (writes to a pipe are synchronous on
// Linux). CPU time is steadier than wall time on a busy machine, so the table shows both.
process.on('exit', () => {
  const usage = process.resourceUsage();
  const cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
  process.stderr.write(`\nbench-usage ${usage.maxRSS} ${cpuMs.toFixed(0)}\n`);
});
