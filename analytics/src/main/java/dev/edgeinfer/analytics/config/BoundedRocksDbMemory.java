package dev.edgeinfer.analytics.config;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the memory of every RocksDB instance of the application together: one block cache shared by all stores,
 * with their memtables charged against it, instead of Kafka Streams' default of a 50 MB cache and three 16 MB
 * memtables for each store and each window segment (a few dozen instances here, whose sum was most of a 1.6 GB
 * process). The usual pattern of Kafka Streams' memory-management documentation.
 */
public final class BoundedRocksDbMemory implements RocksDBConfigSetter {

    /** Block cache and memtables of all stores together. */
    public static final long TOTAL_BYTES = 64L * 1024 * 1024;
    /** Of that, what the memtables may take. */
    public static final long MEMTABLE_BYTES = 16L * 1024 * 1024;
    private static final long WRITE_BUFFER_BYTES = 4L * 1024 * 1024;

    // Shared by every store of the process, and never closed: it lives as long as the application.
    private static final Cache CACHE = new LRUCache(TOTAL_BYTES, -1, false, 0.1);
    private static final WriteBufferManager WRITE_BUFFERS = new WriteBufferManager(MEMTABLE_BYTES, CACHE);

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(CACHE);
        // Index and filter blocks are charged to the cache too, so the bound holds as the stores grow.
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(WRITE_BUFFERS);
        options.setWriteBufferSize(WRITE_BUFFER_BYTES);
        options.setMaxWriteBufferNumber(2);
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and the write buffer manager are shared: closing them with one store would break the others.
    }
}
