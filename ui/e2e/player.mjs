// The virtual microphone's feeder: `paplay` into the null sink, run at the priority
// scripts/e2e.sh chose (E2E_FEED_NICE, e.g. "nice -n -10" as root) so that the app's
// spinning whisper threads cannot starve it into putting silence in the microphone.

/** [command, args] for spawn(): paplay with `args`, behind the feed's nice prefix. */
export function player(...args) {
  const prefix = (process.env.E2E_FEED_NICE ?? "").split(" ").filter(Boolean);
  const argv = [...prefix, "paplay", ...args];
  return [argv[0], argv.slice(1)];
}
