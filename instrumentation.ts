// Next.js calls register() once when the server starts.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    // First, before anything can serve a request: vouches for each request's TCP peer address
    // (lib/auth/peer-address.ts), which Next does not expose to handlers.
    const { installPeerAddressHook } = await import('./lib/auth/peer-address');
    installPeerAddressHook();
    // Large uploads are read at the parser's pace, not buffered whole (lib/auth/paced-body.ts).
    const { installPacedBodyHook } = await import('./lib/auth/paced-body');
    installPacedBodyHook();
    // Canonical pings are answered in front of Next's router (lib/server/ping-fast-path.ts).
    const { installPingFastPath } = await import('./lib/server/ping-fast-path');
    installPingFastPath();
    const { bootstrap } = await import('./lib/server/bootstrap');
    await bootstrap();
  }
}
