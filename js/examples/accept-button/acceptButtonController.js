({
    acceptWork: function(cmp, evt, hlp) {
        var omniAPI = cmp.find("omniToolkit");
        return omniAPI.getAgentWorks().then(function(result) {
            var works = JSON.parse(result.works);
            var first = works[0];
            return omniAPI.acceptAgentWork({workId: first.workId}).then(function(accepted) {
                if (accepted) {
                    console.log("Accepted work " + first.workId);
                } else {
                    console.log("Could not accept work " + first.workId);
                }
            }).catch(function(error) {
                console.log(error);
            });
        });
    }
})
