package io.regfleet.registry.blob;

import io.regfleet.registry.oci.Digest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Blobs as files under a root folder (a local disk or a volume shared by the replicas): {@code
 * <root>/blobs/<alg>/<first 2 hex>/<hex>}; uploads grow in {@code <root>/uploads/<uploadId>} and are renamed into
 * place on commit. The upload's state is its size alone: bytes past it (left by a failed append) are cut off.
 */
public final class FilesystemBlobStore implements BlobStore {
    private final Path blobs;
    private final Path uploads;
    private final BufferPool buffers = BufferPool.SHARED;

    public FilesystemBlobStore(Path root) {
        this.blobs = root.resolve("blobs");
        this.uploads = root.resolve("uploads");
        try {
            Files.createDirectories(blobs);
            Files.createDirectories(uploads);
        } catch (IOException e) {
            throw new BlobStoreException("cannot create the blob store folders under " + root.toAbsolutePath(), e);
        }
    }

    @Override
    public OptionalLong size(Digest digest) {
        try {
            return OptionalLong.of(Files.size(blobPath(digest)));
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        } catch (IOException e) {
            throw new BlobStoreException("cannot read the size of " + digest, e);
        }
    }

    @Override
    public BlobContent open(Digest digest, long offset, long length) {
        BlobRange.requireNonNegative(offset, length);
        long size = size(digest).orElseThrow(() -> new BlobNotFoundException(digest));
        BlobRange.requireWithin(offset, length, size);
        return new BlobContent.LocalFile(blobPath(digest), offset, length);
    }

    @Override
    public boolean delete(Digest digest) {
        try {
            return Files.deleteIfExists(blobPath(digest));
        } catch (IOException e) {
            throw new BlobStoreException("cannot delete " + digest, e);
        }
    }

    @Override
    public List<StoredBlob> list(Digest after, int limit) {
        String afterKey = after == null ? "" : StoredBlob.key(after);
        List<StoredBlob> page = new ArrayList<>();
        try {
            for (String algorithm : sorted(blobs, name -> name + "/")) {
                String prefix = algorithm + "/";
                boolean resume = afterKey.startsWith(prefix);
                if (!resume && prefix.compareTo(afterKey) < 0) {
                    continue; // every blob of this algorithm sorts before `after`
                }
                String afterHex = resume ? after.hex() : "";
                for (String folder : sorted(blobs.resolve(algorithm), name -> name)) {
                    if (resume && folder.compareTo(afterHex.substring(0, Math.min(2, afterHex.length()))) < 0) {
                        continue;
                    }
                    for (String hex : sorted(blobs.resolve(algorithm).resolve(folder), name -> name)) {
                        if (hex.compareTo(afterHex) > 0 && Digest.looksLikeDigest(algorithm + ":" + hex)) {
                            listed(algorithm, hex, blobs.resolve(algorithm).resolve(folder).resolve(hex), page);
                            if (page.size() == limit) {
                                return page;
                            }
                        }
                    }
                }
            }
            return page;
        } catch (IOException e) {
            throw new BlobStoreException("cannot list the blobs under " + blobs, e);
        }
    }

    /** Adds the file to the page when its name is a digest we support and it is still there. */
    private static void listed(String algorithm, String hex, Path file, List<StoredBlob> page) throws IOException {
        Digest digest;
        try {
            digest = new Digest(algorithm, hex);
        } catch (RuntimeException e) {
            return; // not a blob of ours
        }
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (attributes.isRegularFile()) {
                page.add(new StoredBlob(digest, attributes.size(), attributes.lastModifiedTime().toInstant()));
            }
        } catch (NoSuchFileException e) {
            // deleted while listing
        }
    }

    /** The names in a folder, sorted by {@code key}; none when the folder is gone. */
    private static List<String> sorted(Path folder, Function<String, String> key) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.map(p -> p.getFileName().toString()).sorted(Comparator.comparing(key)).toList();
        } catch (NoSuchFileException | java.nio.file.NotDirectoryException e) {
            return List.of();
        }
    }

    @Override
    public UploadState beginUpload(String uploadId) {
        Path upload = uploadPath(uploadId);
        try (FileChannel ignored = FileChannel.open(upload, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            return UploadState.empty("");
        } catch (IOException e) {
            throw new BlobStoreException("cannot create upload " + uploadId, e);
        }
    }

    /**
     * Copies the chunk once, from the request into a pooled buffer and on to the file, and never syncs: the commit's
     * single fsync makes the whole upload durable, and an append lost to a crash is caught by the recorded size
     * ({@link #requireRecordedBytes}) and sent again by the client.
     */
    @Override
    public UploadState append(String uploadId, UploadState state, InputStream data) {
        Path upload = uploadPath(uploadId);
        byte[] buffer = buffers.take();
        try (FileChannel channel = FileChannel.open(upload, StandardOpenOption.WRITE)) {
            requireRecordedBytes(uploadId, channel, state);
            channel.truncate(state.size()); // drop what a failed append may have left
            long position = state.size();
            int read;
            do {
                read = UploadData.readFully(data, buffer, 0, buffer.length);
                ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, read);
                while (chunk.hasRemaining()) {
                    position += channel.write(chunk, position);
                }
            } while (read == buffer.length);
            return new UploadState(position, state.driverState());
        } catch (NoSuchFileException e) {
            throw new BlobStoreException("upload " + uploadId + " is not in the store", e);
        } catch (IOException e) {
            throw new BlobStoreException("cannot append to upload " + uploadId, e);
        } finally {
            buffers.give(buffer);
        }
    }

    @Override
    public InputStream readUpload(String uploadId, UploadState state) {
        Path upload = uploadPath(uploadId);
        try {
            FileChannel channel = FileChannel.open(upload, StandardOpenOption.READ);
            try {
                requireRecordedBytes(uploadId, channel, state);
            } catch (RuntimeException e) {
                channel.close();
                throw e;
            }
            return new BoundedInputStream(Channels.newInputStream(channel), state.size());
        } catch (NoSuchFileException e) {
            throw new BlobStoreException("upload " + uploadId + " is not in the store", e);
        } catch (IOException e) {
            throw new BlobStoreException("cannot read upload " + uploadId, e);
        }
    }

    @Override
    public void commitUpload(String uploadId, UploadState state, Digest digest) {
        Path upload = uploadPath(uploadId);
        Path target = blobPath(digest);
        try {
            if (Files.exists(target)) {
                Files.deleteIfExists(upload);
                return;
            }
            try (FileChannel channel = FileChannel.open(upload, StandardOpenOption.WRITE)) {
                requireRecordedBytes(uploadId, channel, state);
                channel.truncate(state.size());
                channel.force(true);
            }
            boolean newFolder = !Files.isDirectory(target.getParent());
            if (newFolder) { // createDirectories on an existing folder costs a failed mkdir and an exception
                Files.createDirectories(target.getParent());
            }
            try {
                // A concurrent commit of the same digest may win the race: its bytes are the same, verified ones.
                Files.move(upload, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException e) {
                Files.deleteIfExists(upload);
            }
            fsyncFolder(target.getParent());
            if (newFolder) {
                fsyncFolder(target.getParent().getParent());
            }
        } catch (NoSuchFileException e) {
            throw new BlobStoreException("upload " + uploadId + " is not in the store", e);
        } catch (IOException e) {
            throw new BlobStoreException("cannot commit upload " + uploadId + " as " + digest, e);
        }
    }

    @Override
    public void abortUpload(String uploadId, UploadState state) {
        try {
            Files.deleteIfExists(uploadPath(uploadId));
        } catch (IOException e) {
            throw new BlobStoreException("cannot delete upload " + uploadId, e);
        }
    }

    private Path blobPath(Digest digest) {
        return blobs.resolve(digest.algorithm()).resolve(digest.hex().substring(0, 2)).resolve(digest.hex());
    }

    private Path uploadPath(String uploadId) {
        return uploads.resolve(UploadIds.requireValid(uploadId));
    }

    /** The file must hold at least the bytes the state records; fewer means bytes were lost (e.g. a crash). */
    private static void requireRecordedBytes(String uploadId, FileChannel channel, UploadState state) throws IOException {
        long onDisk = channel.size();
        if (onDisk < state.size()) {
            throw new BlobStoreException("upload " + uploadId + " holds " + onDisk + " bytes, fewer than the "
                    + state.size() + " recorded", null);
        }
    }

    /** Makes a rename or a new entry in the folder durable. */
    private static void fsyncFolder(Path folder) throws IOException {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
