// Verifies one received callback with the official Standard Webhooks library (npm
// `standardwebhooks`, pinned in package.json), so the e2e suite checks tellus's signatures
// against the reference implementation rather than against its own code.
//
// Input on stdin: {"secret": "whsec_…", "headers": {"webhook-id": …}, "body": "…"}.
// Output: the verified payload as JSON and exit 0, or the library's error and exit 1.
import { Webhook } from "standardwebhooks";

let input = "";
process.stdin.setEncoding("utf8");
for await (const chunk of process.stdin) input += chunk;
const { secret, headers, body } = JSON.parse(input);
try {
  const payload = new Webhook(secret).verify(body, headers);
  process.stdout.write(JSON.stringify(payload));
} catch (err) {
  process.stderr.write(`verification failed: ${err.message}\n`);
  process.exit(1);
}
