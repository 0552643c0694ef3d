/**
 * Size limits for a runner-config file, checked before anything is sent. The file limit is far above
 * any real file (hundreds of classes fit in a few kilobytes each); the field limits are the API's own
 * (display name 127, description 200 characters) or generous bounds where the API states none.
 */
export const MAX_CONFIG_BYTES = 1024 * 1024;

export const MAX_FIELD_LENGTH: Readonly<Record<string, number>> = {
  displayName: 127,
  description: 200,
  configurationKey: 256,
  configurationValue: 10_000,
  /** Any other string in the file: ids, names, hosts, client ids, URLs. */
  other: 2048,
};
