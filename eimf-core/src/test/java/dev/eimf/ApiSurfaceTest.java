package dev.eimf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The exported API as the module descriptor declares it: no ND4J type and no engine type in any public
 * signature of an exported package, and the number of exported public types printed (and bounded).
 */
class ApiSurfaceTest {

    @Test
    void exportedSignaturesMentionNeitherNd4jNorTheEngine() throws Exception {
        List<String> leaks = new ArrayList<>();
        Set<Class<?>> types = exportedTypes();
        for (Class<?> c : types) {
            check(leaks, c, "extends", c.getGenericSuperclass());
            for (Type t : c.getGenericInterfaces()) check(leaks, c, "implements", t);
            for (Method m : c.getDeclaredMethods()) {
                if (!visible(m.getModifiers()) || m.isSynthetic()) continue;
                check(leaks, c, m.getName() + " returns", m.getGenericReturnType());
                for (Type t : m.getGenericParameterTypes()) check(leaks, c, m.getName() + " takes", t);
                for (Type t : m.getGenericExceptionTypes()) check(leaks, c, m.getName() + " throws", t);
            }
            for (Constructor<?> k : c.getDeclaredConstructors()) {
                if (!visible(k.getModifiers()) || k.isSynthetic()) continue;
                for (Type t : k.getGenericParameterTypes()) check(leaks, c, "constructor takes", t);
            }
            for (Field f : c.getDeclaredFields()) {
                if (visible(f.getModifiers())) check(leaks, c, "field " + f.getName(), f.getGenericType());
            }
            if (c.isRecord()) {
                for (RecordComponent r : c.getRecordComponents()) check(leaks, c, "component " + r.getName(), r.getGenericType());
            }
        }
        assertEquals(List.of(), leaks, "exported signatures that mention ND4J or dev.eimf.internal");
    }

    @Test
    void theExportedSurfaceStaysSmall() throws Exception {
        Set<Class<?>> types = exportedTypes();
        long topLevel = types.stream().filter(c -> c.getEnclosingClass() == null).count();
        System.out.println("exported public types: " + types.size() + " (" + topLevel + " top-level) in "
                + exportedPackages());
        // About an hour's learning for a newcomer; a new public type is a decision, not an accident.
        assertTrue(types.size() <= 110, "exported public types: " + types.size());
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static void check(List<String> leaks, Class<?> owner, String where, Type t) {
        if (t == null) return;
        String name = t.getTypeName();
        if (name.contains("org.nd4j") || name.contains("dev.eimf.internal") || name.contains("org.bytedeco")) {
            leaks.add(owner.getName() + " " + where + " " + name);
        }
    }

    static Set<String> exportedPackages() throws IOException {
        try (InputStream in = moduleInfo()) {
            ModuleDescriptor d = ModuleDescriptor.read(in);
            Set<String> out = new TreeSet<>();
            for (ModuleDescriptor.Exports e : d.exports()) {
                if (!e.isQualified()) out.add(e.source());
            }
            return out;
        }
    }

    private static InputStream moduleInfo() throws IOException {
        Path classes = classesDir();
        return Files.newInputStream(classes.resolve("module-info.class"));
    }

    private static Path classesDir() {
        try {
            // target/classes: where the main classes (and their descriptor) were compiled
            return Path.of(dev.eimf.data.Dataset.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Set<Class<?>> exportedTypes() throws Exception {
        Set<Class<?>> out = new java.util.TreeSet<>(java.util.Comparator.comparing(Class::getName));
        Path classes = classesDir();
        for (String pkg : exportedPackages()) {
            Path dir = classes.resolve(pkg.replace('.', '/'));
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    String file = f.getFileName().toString();
                    if (!file.endsWith(".class") || file.equals("package-info.class")) continue;
                    Class<?> c = Class.forName(pkg + "." + file.substring(0, file.length() - 6), false,
                            ApiSurfaceTest.class.getClassLoader());
                    if (isExported(c)) out.add(c);
                }
            }
        }
        return out;
    }

    private static boolean isExported(Class<?> c) {
        if (c.isAnonymousClass() || c.isLocalClass() || c.isSynthetic()) return false;
        for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
            if (!Modifier.isPublic(k.getModifiers())) return false;
        }
        return true;
    }
}
