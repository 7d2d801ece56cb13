// scanRoot in a child process (run as nobody by tests that need file modes to bite):
// argv root, scanner → stdout JSON { errors, onError, paths } or { thrown }.
import { scanEntryList } from '@/lib/engine/retention';
import { scanRoot, type ScannerChoice } from '@/lib/services/retention/fs/scan';

const [root, scanner] = process.argv.slice(2) as [string, ScannerChoice];
const onError: string[] = [];
try {
  const { scan } = await scanRoot(root, { scanner, onError: (e) => onError.push(e.path) });
  console.log(JSON.stringify({ errors: scan.errors, onError, paths: scanEntryList(scan.entries).map((e) => e.path) }));
} catch (e) {
  console.log(JSON.stringify({ thrown: (e as Error).message }));
}
