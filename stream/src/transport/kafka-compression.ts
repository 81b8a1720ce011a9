/** KAFKA_COMPRESSION: the codec of the batches Hải Đăng produces (all four are read whatever it says) */
export const kafkaCompressions = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
export type KafkaCompression = (typeof kafkaCompressions)[number];
