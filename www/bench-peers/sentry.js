/*
 * Peer for `cargo xtask bench`: Sentry's user-feedback widget as its documentation sets it up,
 * `@sentry/browser` with `feedbackIntegration` (the eager one: the modal and the screenshot
 * integrations are in the bundle, nothing is fetched from Sentry's CDN on click). The bench
 * bundles this file with esbuild from the pinned npm package into
 * target/site/bench-peers/sentry.js and serves it from loopback.
 *
 * The DSN names the bench's own origin, so the envelopes Sentry sends (a session on start) go
 * to the local Worker, which refuses them; nothing leaves the machine.
 */
import { feedbackIntegration, init } from '@sentry/browser';

init({
  dsn: 'http://bench@' + location.host + '/1',
  integrations: [feedbackIntegration({ colorScheme: 'light', autoInject: true })],
});
