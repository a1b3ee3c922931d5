// Preloaded with NODE_OPTIONS=--import (where --cpu-prof is not allowed) by
// bench/fanout/profile.ts: profiles the process whose entry script ends with
// MT_CPU_PROF_ENTRY and writes <MT_CPU_PROF_DIR>/<entry>.<pid>.cpuprofile as it exits.
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

const entry = process.env.MT_CPU_PROF_ENTRY;
const dir = process.env.MT_CPU_PROF_DIR;
if (entry && dir && (process.argv[1] ?? '').endsWith(entry)) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.start');
  // An in-thread session answers synchronously, so this completes inside 'exit'.
  process.on('exit', () => {
    session.post('Profiler.stop', (err, res) => {
      if (!err) writeFileSync(path.join(dir, `${path.basename(entry)}.${process.pid}.cpuprofile`), JSON.stringify(res.profile));
    });
  });
}
