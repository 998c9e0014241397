// cluster-key-slot ships no types: the one function used here (the CRC16 slot Redis Cluster assigns).
declare module 'cluster-key-slot' {
  function calculateSlot(key: string | Buffer): number;
  export = calculateSlot;
}
