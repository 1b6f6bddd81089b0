/*
 * Peer for `cargo xtask bench`: Feedback Fin, "a tiny widget to collect feedback", as its
 * README sets it up (the script, its config, a button with data-feedbackfin-button; bench.js
 * adds the button). The bench bundles this file with esbuild from the pinned npm package into
 * target/site/bench-peers/feedbackfin.js and serves it from loopback. The widget installs
 * itself on the page's load event.
 */
import feedbackfin from 'feedbackfin';

feedbackfin.config.url = location.origin + '/bench-peers/nowhere';
feedbackfin.config.disableErrorAlert = true;
