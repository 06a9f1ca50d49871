/** The smallest valid config text: one Vault source, a Vault merge store and one target. */
export const MINIMAL_CONFIG_YAML = `
vault: {address: http://127.0.0.1:8200}
sources:
  common: {vault: {mount: secret}}
merge_store: {vault: {mount: merged}}
targets:
  Stg: {account_id: "111111111111", imports: [common]}
`;
