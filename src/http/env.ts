/** Per-request variables the app's middleware sets. */
export type AppEnv = {
  Variables: {
    requestId: string;
    clientAddress: string;
  };
};
