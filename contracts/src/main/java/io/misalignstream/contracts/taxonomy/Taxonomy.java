package io.misalignstream.contracts.taxonomy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.misalignstream.contracts.event.Dimension;
import io.misalignstream.contracts.event.InvalidEventException;
import io.misalignstream.contracts.event.SemanticType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The 112-domain taxonomy of the source papers (14 safety, 56 value, 41 cultural domains plus
 * {@code none} in each dimension) and the three semantic types, loaded from {@code taxonomy.json}.
 */
public final class Taxonomy {

    static final String RESOURCE = "/io/misalignstream/contracts/taxonomy.json";
    private static final Pattern SLUG = Pattern.compile("[a-z0-9]+(_[a-z0-9]+)*");

    private static volatile Taxonomy standard;

    private final int version;
    private final Map<Dimension, String> dimensionDescriptions;
    private final Map<Dimension, Map<String, Domain>> domains;
    private final List<SemanticTypeDescription> semanticTypes;

    private Taxonomy(int version, Map<Dimension, String> dimensionDescriptions,
                     Map<Dimension, Map<String, Domain>> domains, List<SemanticTypeDescription> semanticTypes) {
        this.version = version;
        this.dimensionDescriptions = dimensionDescriptions;
        this.domains = domains;
        this.semanticTypes = semanticTypes;
    }

    /** The taxonomy shipped with the contracts, loaded once. */
    public static Taxonomy standard() {
        Taxonomy loaded = standard;
        if (loaded == null) {
            synchronized (Taxonomy.class) {
                loaded = standard;
                if (loaded == null) {
                    try (InputStream in = Taxonomy.class.getResourceAsStream(RESOURCE)) {
                        if (in == null) {
                            throw new IllegalStateException("taxonomy resource missing: " + RESOURCE);
                        }
                        loaded = load(in);
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot read " + RESOURCE, e);
                    }
                    standard = loaded;
                }
            }
        }
        return loaded;
    }

    /** Reads and checks a taxonomy file: every dimension present, slugs well-formed and unique, descriptions non-empty. */
    public static Taxonomy load(InputStream json) throws IOException {
        TaxonomyFile file = new ObjectMapper().readValue(json, TaxonomyFile.class);
        if (file == null || file.dimensions() == null || file.semanticTypes() == null) {
            throw new IllegalArgumentException("taxonomy: 'dimensions' and 'semanticTypes' are required");
        }
        Map<Dimension, String> descriptions = new EnumMap<>(Dimension.class);
        Map<Dimension, Map<String, Domain>> byDimension = new EnumMap<>(Dimension.class);
        Set<String> idsAcrossDimensions = new HashSet<>();
        for (DimensionEntry entry : file.dimensions()) {
            Dimension dimension = Dimension.fromJson(entry.id());
            if (byDimension.containsKey(dimension)) {
                throw new IllegalArgumentException("taxonomy: dimension " + entry.id() + " listed twice");
            }
            descriptions.put(dimension, requireDescription(entry.description(), entry.id()));
            if (entry.domains() == null) {
                throw new IllegalArgumentException("taxonomy: dimension " + entry.id() + " has no 'domains'");
            }
            Map<String, Domain> domains = new LinkedHashMap<>();
            for (DomainEntry domain : entry.domains()) {
                if (domain.id() == null || !SLUG.matcher(domain.id()).matches()) {
                    throw new IllegalArgumentException("taxonomy: '" + domain.id() + "' in " + entry.id() + " is not a slug");
                }
                if (domains.containsKey(domain.id())) {
                    throw new IllegalArgumentException("taxonomy: domain id '" + domain.id() + "' is used twice in " + entry.id());
                }
                if (!domain.id().equals(Domain.NONE) && !idsAcrossDimensions.add(domain.id())) {
                    throw new IllegalArgumentException("taxonomy: domain id '" + domain.id() + "' is used in two dimensions");
                }
                domains.put(domain.id(), new Domain(dimension, domain.id(), requireDescription(domain.name(), domain.id()),
                        requireDescription(domain.sourceKey(), domain.id()),
                        requireDescription(domain.description(), domain.id())));
            }
            if (!domains.containsKey(Domain.NONE)) {
                throw new IllegalArgumentException("taxonomy: dimension " + entry.id() + " has no 'none' domain");
            }
            byDimension.put(dimension, java.util.Collections.unmodifiableMap(domains));
        }
        for (Dimension dimension : Dimension.values()) {
            if (!byDimension.containsKey(dimension)) {
                throw new IllegalArgumentException("taxonomy: dimension " + dimension.json() + " is missing");
            }
        }
        List<SemanticTypeDescription> types = new ArrayList<>();
        for (SemanticTypeEntry type : file.semanticTypes()) {
            types.add(new SemanticTypeDescription(SemanticType.fromJson(type.id()), requireDescription(type.name(), type.id()),
                    requireDescription(type.description(), type.id())));
        }
        if (types.stream().map(SemanticTypeDescription::type).distinct().count() != SemanticType.values().length
                || types.size() != SemanticType.values().length) {
            throw new IllegalArgumentException("taxonomy: every semantic type must be described exactly once");
        }
        return new Taxonomy(file.version(), descriptions, byDimension, List.copyOf(types));
    }

    private static String requireDescription(String text, String owner) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("taxonomy: '" + owner + "' has an empty name, key or description");
        }
        return text.strip();
    }

    public int version() {
        return version;
    }

    public String description(Dimension dimension) {
        return dimensionDescriptions.get(dimension);
    }

    /** The domains of a dimension in file order, {@code none} first. */
    public List<Domain> domains(Dimension dimension) {
        return List.copyOf(domains.get(dimension).values());
    }

    /** The domains of a dimension without {@code none}. */
    public List<Domain> namedDomains(Dimension dimension) {
        return domains.get(dimension).values().stream().filter(domain -> !domain.isNone()).toList();
    }

    public Optional<Domain> find(Dimension dimension, String id) {
        return Optional.ofNullable(domains.get(dimension).get(id));
    }

    /** Checks that {@code id} is a domain (or {@code none}) of the dimension; the error names the field. */
    public Domain requireLabel(Dimension dimension, String id, String field) {
        return find(dimension, id).orElseThrow(() -> new InvalidEventException(
                field + ": '" + id + "' is not a " + dimension.json() + " domain of the taxonomy"));
    }

    public List<SemanticTypeDescription> semanticTypes() {
        return semanticTypes;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record TaxonomyFile(int version, List<DimensionEntry> dimensions, List<SemanticTypeEntry> semanticTypes) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record DimensionEntry(String id, String name, String description, List<DomainEntry> domains) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record DomainEntry(String id, String name, String sourceKey, String description) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record SemanticTypeEntry(String id, String name, String description) {
    }
}
