/** This package's name and version, sent as `SdkVersion` and `User-Agent` (a test keeps it equal to package.json). */
export const sdkVersion = 'idgov-client/0.1.0';
