/** Per-request variables the app's middleware sets. */
export type AppEnv = {
  Variables: {
    requestId: string;
    /** The client's address, found on first use. */
    clientAddress: () => string;
  };
};
