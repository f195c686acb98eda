/** `kubeproof test e2e --grep 'a b'`: the arguments as a shell would take them back. */
export function commandLine(args: readonly string[]): string {
  const quote = (arg: string): string =>
    /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
  return ["kubeproof", ...args.map(quote)].join(" ");
}
