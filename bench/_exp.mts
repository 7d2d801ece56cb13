import { scanRoot } from '@/lib/services/retention/fs/scan';
const R = process.argv[2] as string;
for (let i = 0; i < 4; i++) { const t = performance.now(); await scanRoot(R); console.log((performance.now() - t).toFixed(0)); }
