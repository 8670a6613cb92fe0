package io.github.cassandrasnapshotter.camel;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

class RouteGroupTest {

    @Test
    void everyRouteFileOfTheProjectBelongsToAGroupAndEveryGroupFileIsInTheBuild() throws IOException {
        Set<String> inRepo;
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            inRepo = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".camel.yaml"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> inGroups = RouteGroup.resources(EnumSet.allOf(RouteGroup.class)).stream()
                .map(r -> r.substring(RouteGroup.FOLDER.length())).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(inRepo, inGroups, "a route file no command loads, or a group naming a file that does not exist");
        for (String resource : RouteGroup.resources(EnumSet.allOf(RouteGroup.class))) {
            String path = resource.substring("classpath:".length());
            assertNotNull(getClass().getClassLoader().getResource(path), resource + " in the build's classpath");
        }
    }

    @Test
    void errorsComeFirstAndAFileSharedByGroupsIsLoadedOnce() {
        assertEquals(List.of(RouteGroup.FOLDER + "errors.camel.yaml", RouteGroup.FOLDER + "backup.camel.yaml",
                        RouteGroup.FOLDER + "node.camel.yaml", RouteGroup.FOLDER + "restore.camel.yaml",
                        RouteGroup.FOLDER + "restore-in-place.camel.yaml"),
                RouteGroup.resources(EnumSet.of(RouteGroup.BACKUP, RouteGroup.RESTORE, RouteGroup.RESTORE_IN_PLACE)));
    }
}
