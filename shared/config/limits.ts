/**
 * Size limits for a runner-config file, checked before anything is sent. The file limit bounds what
 * a hostile file can cost while leaving room for the largest fleets we plan for: 50,000 objects are
 * about 9.6 MB of YAML (the benchmark's scale curve); the field limits are the API's own (display
 * name 127, description 200 characters) or generous bounds where the API states none.
 */
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

/** "16 MiB", for messages. */
export const MAX_CONFIG_SIZE_TEXT = `${MAX_CONFIG_BYTES / 1024 / 1024} MiB`;

/** Any other string in the file: ids, names, hosts, client ids, URLs. */
export const MAX_OTHER_LENGTH = 2048;

export const MAX_FIELD_LENGTH: Readonly<Record<string, number>> = {
  displayName: 127,
  description: 200,
  configurationKey: 256,
  configurationValue: 10_000,
  other: MAX_OTHER_LENGTH,
};
