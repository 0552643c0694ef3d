/** How every report names a runner: "aws-eu (d2c9…)" when it has a name, else its id alone. */
export function runnerLabel(runnerId: string, name: string | undefined): string {
  return name ? `${name} (${runnerId})` : runnerId;
}
